package dev.photorelay.simulator;

import java.util.function.UnaryOperator;

/**
 * One HTTP request to a simulated platform, whatever server took it in.
 *
 * @param path the request path below the simulator's base URL, e.g. {@code /bot<token>/sendPhoto}
 * @param query the request's query string as sent (after the {@code ?}, still URL-encoded), empty if it has none:
 *        the Bot API takes a method's parameters there too, e.g. {@code getUpdates?offset=5&timeout=30}
 * @param header a request header by (case-insensitive) name, or {@code null}
 * @param receivedAt when the request had been read, on {@link System#nanoTime()}
 */
public record SimulatedCall(String method, String path, String query, UnaryOperator<String> header, byte[] body,
        long receivedAt) {

    String contentType() {
        String type = header.apply("Content-Type");
        return type == null ? "" : type;
    }
}
