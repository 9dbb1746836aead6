package dev.photorelay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP as curl cannot send it: a request written byte for byte on a plain socket (a body cut short, framing that
 * contradicts itself, headers without the body they announce), and everything the relay answered until it closed the
 * connection or went quiet.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    public static RawHttp connect(int port) {
        try {
            Socket socket = new Socket("localhost", port);
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes these bytes as they are; the connection stays open. */
    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the relay sends until it closes the connection, or until it has sent nothing for {@code quiet}.
     *
     * @return the answer's text, and whether the relay closed the connection
     */
    public Answer read(Duration quiet) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        boolean closed = false;
        try {
            socket.setSoTimeout((int) quiet.toMillis());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                answer.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quietLongEnough) {
            // the relay keeps the connection open and says nothing more
        } catch (IOException reset) {
            closed = true;
        }
        return new Answer(answer.toString(StandardCharsets.UTF_8), closed);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test's socket
        }
    }

    /** The text received, and whether the connection was closed by the relay. */
    public record Answer(String text, boolean closed) {

        public int status() {
            return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
        }

        /** How many HTTP answers the text holds. */
        public long answers() {
            return text.lines().filter(line -> line.startsWith("HTTP/1.1 ")).count();
        }
    }
}
