package dev.photorelay.inbox;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The photos the inbox has taken and not moved away (by name, size and time), so that one that could not be filed is
 * not taken again and again in this run. A photo filed in {@code .sent/} or {@code .failed/} is forgotten, so that it
 * is taken again should a person move it back into the inbox (a move keeps its name, size and time).
 */
@Singleton
@Named("takenPhotos")
@RegisterForReflection
public class TakenPhotos extends RememberedKeys {

    private static final int REMEMBERED = 10_000;

    public TakenPhotos() {
        super(REMEMBERED);
    }

    /** The inbox consumer's idempotent key of the photo on this exchange. */
    public String key(Exchange exchange) {
        Message message = exchange.getMessage();
        return message.getHeader(Exchange.FILE_NAME, String.class) + "-"
                + message.getHeader(Exchange.FILE_LENGTH, String.class) + "-"
                + message.getHeader(Exchange.FILE_LAST_MODIFIED, String.class);
    }

    /** The photo has left the inbox. */
    public void movedAway(Exchange exchange) {
        remove(key(exchange));
    }
}
