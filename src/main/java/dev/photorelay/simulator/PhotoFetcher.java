package dev.photorelay.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Fetches a photo from a URL as a platform does when it is given one: GET, a 200 within the timeout, a size cap. Only
 * from the relay's media host (a URL the {@code mediaHost} test accepts), and no redirect is followed: a simulator
 * that fetched any URL would let anyone who can reach it read pages on its host's network.
 */
final class PhotoFetcher {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final int maxBytes;
    private final Predicate<String> mediaHost;

    PhotoFetcher(int maxBytes, Predicate<String> mediaHost) {
        this.maxBytes = maxBytes;
        this.mediaHost = mediaHost;
    }

    static boolean isHttpUrl(String text) {
        return text.startsWith("http://") || text.startsWith("https://");
    }

    /** The body of a 200 answer; {@link IOException} saying why there is none. */
    byte[] fetch(String url) throws IOException {
        if (!mediaHost.test(url)) {
            throw new IOException("not the relay's media host");
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL: " + url);
        }
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                byte[] photo = body.readNBytes(maxBytes + 1);
                if (photo.length > maxBytes) {
                    throw new IOException("larger than " + maxBytes + " bytes");
                }
                return photo;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
