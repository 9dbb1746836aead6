package dev.photorelay.telegram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import dev.photorelay.platforms.Secrets;

/**
 * The Bot API calls the bot's inbox makes itself, besides camel-telegram's {@code getUpdates}: {@code getFile} and the
 * file download ({@code GET /file/bot<token>/<file_path>}; Bot API "getFile": bots download files of up to 20 MB),
 * and {@code sendMessage} for answers in the chat. The token is in every path: no URL ever goes into an exception's
 * text, and the texts Telegram answers are cut short and scrubbed of every secret.
 */
@Singleton
public class BotApi {

    /** Bot API, getFile: "bots can download files of up to 20MB in size". */
    static final long MAX_DOWNLOAD_BYTES = 20L * 1024 * 1024;
    private static final int MAX_DESCRIPTION = 200;
    /** A download may take this many {@code relay.http.timeout}s in all (20 MB at about 1 Mbit/s by default). */
    static final int DOWNLOAD_TIMEOUTS = 6;

    private final HttpClient client;
    private final String methods;
    private final String files;
    private final Duration timeout;
    private final ObjectMapper json;
    private final Secrets secrets;

    /**
     * Calls {@code relay.telegram.base-uri} with {@code relay.telegram.token}, waiting at most
     * {@code relay.http.timeout} to connect and for each answer; follows no redirect.
     */
    public BotApi(RelayConfig config, ObjectMapper json, Secrets secrets) {
        String base = config.telegram().baseUri().replaceAll("/+$", "");
        String token = config.telegram().token().orElse("");
        this.methods = base + "/bot" + token + "/";
        this.files = base + "/file/bot" + token + "/";
        this.timeout = config.http().timeout();
        this.json = json;
        this.secrets = secrets;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Downloads a file sent to the bot: {@code getFile}, then its bytes.
     *
     * @param fileId the file's {@code file_id} from the update
     * @return the file's bytes, at most 20 MB
     * @throws PhotoDeliveryException for good: {@code PAYLOAD_TOO_LARGE} over 20 MB, {@code INVALID_REQUEST} for a
     *                                file Telegram will not give (an unknown or expired file_id)
     * @throws IOException            for now (the network, Telegram's 429 or 5xx): worth trying again
     */
    public byte[] download(String fileId) throws PhotoDeliveryException, IOException, InterruptedException {
        JsonNode file = call("getFile", Map.of("file_id", fileId));
        String path = file.path("file_path").asText("");
        if (path.isEmpty() || path.contains("..")) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "getFile gave no file_path");
        }
        if (file.path("file_size").asLong(0) > MAX_DOWNLOAD_BYTES) {
            throw tooLarge();
        }
        URI uri;
        try {
            // Telegram's paths are plain (photos/file_12.jpg); anything else is taken as a name, never as a URL
            uri = new URI(null, null, path, null).isAbsolute() ? null : URI.create(files).resolve(
                    new URI(null, null, path, null).getRawPath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !uri.toString().startsWith(files)) {
            throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, "getFile gave a file_path that is no file's");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), "the download");
        InputStream body = response.body();
        try (body) {
            if (response.statusCode() != 200) {
                raise("the download", response.statusCode(), "");
            }
            // the request's timeout covers the wait for the headers only: a body that stalls is cut at the deadline
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] bytes;
            try {
                bytes = read.get(timeout.toMillis() * DOWNLOAD_TIMEOUTS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stalled) {
                throw new IOException("the download took longer than " + DOWNLOAD_TIMEOUTS
                        + " x relay.http.timeout");
            } catch (ExecutionException failed) {
                throw new IOException("the download failed: " + failed.getCause().getClass().getSimpleName());
            }
            if (bytes.length > MAX_DOWNLOAD_BYTES) {
                throw tooLarge();
            }
            return bytes;
        }
    }

    /**
     * Sends a text to a chat, as an answer to one of its messages.
     *
     * @throws PhotoDeliveryException Telegram refused it (the chat blocked the bot, ...)
     * @throws IOException            it could not be sent now
     */
    public void sendMessage(long chatId, long replyToMessageId, String text)
            throws PhotoDeliveryException, IOException, InterruptedException {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("chat_id", Long.toString(chatId));
        parameters.put("text", text);
        parameters.put("reply_to_message_id", Long.toString(replyToMessageId));
        parameters.put("allow_sending_without_reply", "true");
        call("sendMessage", parameters);
    }

    /** A Bot API method called with a URL-encoded form; answers its {@code result}. */
    private JsonNode call(String method, Map<String, String> parameters)
            throws PhotoDeliveryException, IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        parameters.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&").append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(methods + method)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), method);
        JsonNode answer = null;
        try {
            answer = json.readTree(response.body());
        } catch (IOException notJson) {
            // a proxy's error page: the status says what it is
        }
        if (response.statusCode() != 200 || answer == null || !answer.path("ok").asBoolean(false)) {
            raise(method, response.statusCode(), answer == null ? "" : answer.path("description").asText(""));
        }
        return answer.path("result");
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what)
            throws IOException, InterruptedException {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            // the JDK's texts name no URL, but a cause might: only the kind of failure goes on
            throw new IOException(what + " failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Always throws: Telegram's 429 and 5xx (and a 200 that is no answer) are for now, any other refusal for good.
     * Telegram's description is scrubbed of the secrets: an answer may echo the request's path.
     */
    private void raise(String what, int status, String description) throws PhotoDeliveryException, IOException {
        String text = what + " answered " + status + (description.isEmpty() ? ""
                : ": " + Printable.of(secrets.redact(description), MAX_DESCRIPTION));
        // Telegram's own words for a file it cannot give now: "wrong file_id or the file is temporarily unavailable"
        if (status == 429 || status >= 500 || status == 200
                || description.toLowerCase(Locale.ROOT).contains("temporarily unavailable")) {
            throw new IOException(text);
        }
        if (description.toLowerCase(Locale.ROOT).contains("too big")) {
            throw tooLarge();
        }
        throw new PhotoDeliveryException(ErrorCode.INVALID_REQUEST, text);
    }

    private static PhotoDeliveryException tooLarge() {
        return new PhotoDeliveryException(ErrorCode.PAYLOAD_TOO_LARGE,
                "the file is larger than the 20 MB a bot may download");
    }
}
