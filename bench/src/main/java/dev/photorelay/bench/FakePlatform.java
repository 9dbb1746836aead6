package dev.photorelay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Telegram, Z-API and Sonoran in one in-process HTTP server, answering as the real ones do on success. It records a
 * {@link Receipt} per call, identifying the photo by its {@link PhotoMarker}: in the multipart body (Telegram), in
 * the start of the base64 data URI (Z-API), or in the photo fetched from the URL it is given (Sonoran fetches the
 * photo, as the real one does, before it answers).
 */
final class FakePlatform implements AutoCloseable {

    static {
        // without it each answer waits for the client's delayed ACK (Nagle): ~45 ms per request on loopback
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Pattern TELEGRAM = Pattern.compile("/bot[^/]+/sendPhoto");
    private static final Pattern ZAPI = Pattern.compile("/instances/[^/]+/token/[^/]+/send-image");
    private static final String SONORAN = "/general/send_photo";
    private static final Pattern CHAT_ID = Pattern.compile("name=\"chat_id\"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r\n]*)\r\n");
    private static final byte[] DATA_URI_START = "base64,".getBytes(StandardCharsets.US_ASCII);
    /** 64 base64 characters are 48 bytes: the start of image, the comment's header and the marker. */
    private static final int MARKER_BASE64_CHARS = 64;
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private final HttpClient fetcher = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Duration serviceTime;
    private final List<Receipt> receipts = new ArrayList<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile String lastRefusal = "";

    FakePlatform(Duration serviceTime) throws IOException {
        this.serviceTime = serviceTime;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The receipts from index {@code from} on, in the order they were recorded. */
    synchronized List<Receipt> receiptsFrom(int from) {
        return new ArrayList<>(receipts.subList(Math.min(from, receipts.size()), receipts.size()));
    }

    /** Forgets the receipts so far, between runs. */
    synchronized void reset() {
        receipts.clear();
        refused.set(0);
    }

    /** Calls answered with an error because the photo or its recipient could not be identified. */
    int refused() {
        return refused.get();
    }

    String lastRefusal() {
        return lastRefusal;
    }

    private synchronized void record(Receipt receipt) {
        receipts.add(receipt);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long receivedAt = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod())) {
                refuse(exchange, 405, path + " with " + exchange.getRequestMethod());
            } else if (TELEGRAM.matcher(path).matches()) {
                telegram(exchange, body, receivedAt);
            } else if (ZAPI.matcher(path).matches()) {
                zapi(exchange, body, receivedAt);
            } else if (SONORAN.equals(path)) {
                sonoran(exchange, body, receivedAt);
            } else {
                refuse(exchange, 404, "no endpoint " + path);
            }
        } catch (RuntimeException | InterruptedException e) {
            refused.incrementAndGet();
            lastRefusal = e.toString();
        }
    }

    private void telegram(HttpExchange exchange, byte[] body, long receivedAt) throws IOException, InterruptedException {
        // the chat id comes first, the photo's marker right after the start of the photo part
        String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
        Matcher chat = CHAT_ID.matcher(head);
        int id = PhotoMarker.find(body, 0, 4096);
        if (!chat.find() || id < 0) {
            refuse(exchange, 400, "Telegram: no chat_id or no photo marker in the multipart body");
            return;
        }
        record(new Receipt(id, "telegram", chat.group(1), receivedAt, body.length, 0));
        answer(exchange, "application/json",
                "{\"ok\":true,\"result\":{\"message_id\":" + messageIds.incrementAndGet() + "}}");
    }

    private void zapi(HttpExchange exchange, byte[] body, long receivedAt) throws IOException, InterruptedException {
        String phone = JsonField.string(body, "phone");
        int id = markerInDataUri(body);
        if (exchange.getRequestHeaders().getFirst("Client-Token") == null || phone == null || id < 0) {
            refuse(exchange, 400, "Z-API: no Client-Token, phone or photo marker");
            return;
        }
        record(new Receipt(id, "zapi", phone, receivedAt, body.length, 0));
        String messageId = "M" + messageIds.incrementAndGet();
        answer(exchange, "application/json",
                "{\"zaapId\":\"Z" + messageId + "\",\"messageId\":\"" + messageId + "\",\"id\":\"" + messageId + "\"}");
    }

    private static int markerInDataUri(byte[] body) {
        int start = Bytes.indexOf(body, DATA_URI_START);
        if (start < 0 || start + DATA_URI_START.length + MARKER_BASE64_CHARS > body.length) {
            return -1;
        }
        byte[] head = Base64.getDecoder().decode(
                new String(body, start + DATA_URI_START.length, MARKER_BASE64_CHARS, StandardCharsets.US_ASCII));
        return PhotoMarker.find(head, 0, head.length);
    }

    private void sonoran(HttpExchange exchange, byte[] body, long receivedAt) throws IOException, InterruptedException {
        String apiId = JsonField.string(body, "apiId");
        String url = JsonField.string(body, "url");
        if (apiId == null || url == null) {
            refuse(exchange, 400, "Sonoran: no apiId or url");
            return;
        }
        HttpResponse<byte[]> photo;
        try {
            photo = fetcher.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            refuse(exchange, 500, "Sonoran: cannot fetch " + url + ": " + e);
            return;
        }
        int id = photo.statusCode() == 200 ? PhotoMarker.find(photo.body(), 0, 4096) : -1;
        if (id < 0) {
            refuse(exchange, 500, "Sonoran: fetching " + url + " gave " + photo.statusCode() + " without a marker");
            return;
        }
        record(new Receipt(id, "sonoran", apiId, receivedAt, body.length, photo.body().length));
        answer(exchange, "text/plain", "Photo sent!");
    }

    private void answer(HttpExchange exchange, String contentType, String text) throws IOException, InterruptedException {
        if (!serviceTime.isZero()) {
            Thread.sleep(serviceTime.toMillis());
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void refuse(HttpExchange exchange, int status, String why) throws IOException {
        refused.incrementAndGet();
        lastRefusal = why;
        byte[] bytes = why.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
