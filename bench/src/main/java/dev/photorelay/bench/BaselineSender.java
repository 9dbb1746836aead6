package dev.photorelay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The baseline's three platform calls, the same requests the relay makes, on one JDK HttpClient; and the media host
 * that a Sonoran photo's URL points at (the photo served from where it lies in the inbox while it is being sent).
 * Values go into JSON unescaped: the benchmark's recipients and credentials need no escaping.
 */
final class BaselineSender {

    static {
        // as in the fake platform: no Nagle stall on the media host's answers
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Properties settings;
    private final Map<String, Path> published = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    /** {@code concurrency} threads serve the media host too: every call in flight may be a fetch of its photo. */
    BaselineSender(Properties settings, int concurrency) throws IOException {
        this.settings = settings;
        int port = Integer.parseInt(settings.getProperty("quarkus.http.port"));
        HttpServer media = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        media.createContext("/media/", this::serve);
        media.setExecutor(Executors.newFixedThreadPool(concurrency));
        media.start();
    }

    void send(String target, String recipient, Path photo) throws IOException, InterruptedException {
        switch (target) {
            case "telegram" -> call(telegram(recipient, photo));
            case "zapi" -> call(zapi(recipient, photo));
            case "sonoran" -> sonoran(recipient, photo);
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
    }

    private HttpRequest telegram(String chatId, Path photo) throws IOException {
        return HttpRequest.newBuilder(uri("relay.telegram.base-uri", "/bot" + setting("relay.telegram.token") + "/sendPhoto"))
                .header("Content-Type", Multipart.contentType())
                .POST(Multipart.body(chatId, photo))
                .build();
    }

    private HttpRequest zapi(String phone, Path photo) throws IOException {
        String json = "{\"phone\":\"" + phone + "\",\"image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(Files.readAllBytes(photo)) + "\"}";
        return HttpRequest.newBuilder(uri("relay.zapi.base-uri", "/instances/" + setting("relay.zapi.instance")
                        + "/token/" + setting("relay.zapi.token") + "/send-image"))
                .header("Content-Type", "application/json")
                .header("Client-Token", setting("relay.zapi.client-token"))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** Published for the duration of the call: Sonoran fetches the photo before it answers. */
    private void sonoran(String apiId, Path photo) throws IOException, InterruptedException {
        String token = Long.toString(tokens.incrementAndGet());
        published.put(token, photo);
        try {
            String json = "{\"id\":\"" + setting("relay.sonoran.community-id") + "\",\"key\":\""
                    + setting("relay.sonoran.api-key") + "\",\"type\":\"SEND_PHOTO\",\"data\":[{\"apiId\":\"" + apiId
                    + "\",\"url\":\"" + setting("relay.media.public-base-url") + "/media/" + token + "\"}]}";
            HttpRequest request = HttpRequest.newBuilder(uri("relay.sonoran.base-uri", "/general/send_photo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build();
            call(request);
        } finally {
            published.remove(token);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String token = exchange.getRequestURI().getPath().substring("/media/".length());
            Path photo = published.get(token);
            if (photo == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
            exchange.sendResponseHeaders(200, Files.size(photo));
            try (OutputStream out = exchange.getResponseBody()) {
                Files.copy(photo, out);
            }
        }
    }

    private void call(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    private URI uri(String baseKey, String path) {
        return URI.create(setting(baseKey) + path);
    }

    private String setting(String key) {
        String value = settings.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("-D" + key + " is not set");
        }
        return value;
    }
}
