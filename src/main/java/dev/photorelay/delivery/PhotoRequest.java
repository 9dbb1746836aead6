package dev.photorelay.delivery;

import java.util.List;

import dev.photorelay.media.Photo;

/** A photo with its options and resolved recipients, kept on the exchange while it fans out. */
public record PhotoRequest(Photo photo, SendOptions options, List<Recipient> recipients) {

    /** Exchange property holding the request during {@code direct:send-photo}. */
    public static final String PROPERTY = "photoRequest";
    /** Exchange property holding the recipient a split branch delivers to. */
    public static final String RECIPIENT = "photoRecipient";
    /** Exchange property with the target id of that recipient, for the router. */
    public static final String TARGET = "photoTarget";
}
