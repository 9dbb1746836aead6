package dev.photorelay.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.photorelay.simulator.PlatformCredentials;
import dev.photorelay.simulator.PlatformSimulator;
import dev.photorelay.simulator.Received;
import dev.photorelay.simulator.SimulatedAnswer;
import dev.photorelay.simulator.SimulatedCall;

/**
 * Telegram, Z-API and Sonoran in one in-process HTTP server: the relay's own {@link PlatformSimulator} (the one the
 * demo profile serves) on a JDK {@code HttpServer}, so the relay and the baseline must pass the same validation as
 * against the real platforms (Sonoran fetches the photo from its URL before it answers, as the real one does). It
 * records a {@link Receipt} per photo the simulator accepted, identifying the photo by the {@link PhotoMarker} in its
 * first bytes; any other answer, or an accepted photo without a marker, is a refusal.
 */
final class FakePlatform implements AutoCloseable {

    static {
        // without it each answer waits for the client's delayed ACK (Nagle): ~45 ms per request on loopback
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** What the fake accepts, and what {@link Contender} configures the relay and the baseline with. */
    static final PlatformCredentials CREDENTIALS = new PlatformCredentials("123456:bench-token", "bench-instance",
            "bench-token", "bench-client-token", "bench-community", "bench-key");

    /** The photo's marker is in a comment right after its start-of-image. */
    private static final int MARKER_WITHIN = 4096;
    /** Calls answered at once, unless a run asks for more (see {@link #FakePlatform(Duration, int)}). */
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService threads;
    /** Each contender's media host listens on its own loopback port (Contender sets relay.media.public-base-url). */
    private static final Pattern MEDIA_HOST = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/media/[A-Za-z0-9_-]+");
    private final PlatformSimulator simulator = new PlatformSimulator(CREDENTIALS,
            url -> MEDIA_HOST.matcher(url).matches(), this::received);
    private final Duration serviceTime;
    private final List<Receipt> receipts = new ArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile String lastRefusal = "";

    /** Answers {@link #THREADS} calls at once, each after {@code serviceTime}. */
    FakePlatform(Duration serviceTime) throws IOException {
        this(serviceTime, THREADS);
    }

    /**
     * Answers {@code threads} calls at once, each after {@code serviceTime}: a call waits its service time on its
     * thread, so a fake that takes time needs a thread per call that may be in flight, or it is what limits a run.
     */
    FakePlatform(Duration serviceTime, int threads) throws IOException {
        this.serviceTime = serviceTime;
        this.threads = Executors.newFixedThreadPool(threads);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(this.threads);
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

    /** Calls the simulator refused, and photos it accepted that carry no marker (so no one can tell which they are). */
    int refused() {
        return refused.get();
    }

    String lastRefusal() {
        return lastRefusal;
    }

    private synchronized void record(Receipt receipt) {
        receipts.add(receipt);
    }

    private void refuse(String why) {
        lastRefusal = why;
        if (refused.getAndIncrement() == 0) {
            Progress.say("the fake platform refused a call: %s", why);
        }
    }

    /** Each photo the simulator took in, on the thread answering its call, before the answer is sent. */
    private void received(Received received) {
        if (!received.answer().accepted()) {
            return; // counted with the call's answer
        }
        int id = received.photo() == null ? -1 : PhotoMarker.find(received.photo(), 0, MARKER_WITHIN);
        if (id < 0 && received.caption() != null) {
            // a fitted photo is a new JPEG: its marker came in the caption (see Dropper)
            byte[] caption = received.caption().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            id = PhotoMarker.find(caption, 0, caption.length);
        }
        if (id < 0) {
            refuse(received.platform() + ": accepted a photo without a marker"
                    + (received.photo() == null ? " (no photo bytes; image " + received.imageUrl() + ")" : ""));
            return;
        }
        record(new Receipt(id, received.platform(), received.recipient(), received.receivedAt(),
                received.requestBytes(), received.fetchedBytes()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long receivedAt = System.nanoTime();
            String path = exchange.getRequestURI().getPath();
            SimulatedAnswer answer;
            try {
                String query = exchange.getRequestURI().getRawQuery();
                answer = simulator.answer(new SimulatedCall(exchange.getRequestMethod(), path, query == null ? "" : query,
                        exchange.getRequestHeaders()::getFirst, body, receivedAt));
            } catch (RuntimeException e) {
                answer = new SimulatedAnswer(500, "text/plain; charset=UTF-8", "the simulator failed: " + e);
            }
            if (answer.accepted()) {
                if (!serviceTime.isZero()) {
                    Thread.sleep(serviceTime.toMillis());
                }
            } else {
                refuse(exchange.getRequestMethod() + " " + path + ": " + answer.status() + " " + answer.body());
            }
            byte[] bytes = answer.content();
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
