package dev.photorelay.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a simulated platform answers: the status, and a body of the platform's own kind (JSON or plain text, or the
 * bytes of a file Telegram serves for download).
 *
 * @param content the body as it goes on the wire; servers send these bytes, never {@link #body()} re-encoded
 */
public record SimulatedAnswer(int status, String contentType, byte[] content) {

    /** A text answer, its body written in UTF-8. */
    public SimulatedAnswer(int status, String contentType, String body) {
        this(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static SimulatedAnswer json(int status, String body) {
        return new SimulatedAnswer(status, "application/json", body);
    }

    static SimulatedAnswer text(int status, String body) {
        return new SimulatedAnswer(status, "text/plain; charset=UTF-8", body);
    }

    /** The body as text (UTF-8), as the relay reads a platform's answer. */
    public String body() {
        return new String(content, StandardCharsets.UTF_8);
    }

    public boolean accepted() {
        return status == 200;
    }

    // a record compares arrays by identity: two answers are equal when their bytes are
    @Override
    public boolean equals(Object other) {
        return other instanceof SimulatedAnswer answer && status == answer.status
                && Objects.equals(contentType, answer.contentType) && Arrays.equals(content, answer.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, contentType, Arrays.hashCode(content));
    }

    /** The status, type and body, cut short: a test's failure message, not a file's bytes. */
    @Override
    public String toString() {
        String body = body();
        return "SimulatedAnswer[status=" + status + ", contentType=" + contentType + ", body="
                + (body.length() > 300 ? body.substring(0, 300) + "... (" + content.length + " bytes)" : body) + "]";
    }
}
