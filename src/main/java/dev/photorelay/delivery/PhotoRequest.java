package dev.photorelay.delivery;

import java.util.List;
import java.util.Map;

import dev.photorelay.media.Photo;

/**
 * A photo with its options and resolved recipients, kept on the exchange while it fans out.
 *
 * @param prepared the photo as each platform gets it (see {@code PhotoPreparation}); empty until then
 */
public record PhotoRequest(Photo photo, SendOptions options, List<Recipient> recipients,
        Map<Target, PreparedPhoto> prepared) {

    public PhotoRequest(Photo photo, SendOptions options, List<Recipient> recipients) {
        this(photo, options, recipients, Map.of());
    }

    public PhotoRequest withPrepared(Map<Target, PreparedPhoto> photos) {
        return new PhotoRequest(photo, options, recipients, Map.copyOf(photos));
    }

    /** The photo as the target's platform gets it: prepared for it, or the photo as it came (a link). */
    public PreparedPhoto preparedFor(Target target) {
        return prepared.getOrDefault(target, PreparedPhoto.asIs(photo));
    }

    /** Exchange property holding the request during {@code direct:send-photo}. */
    public static final String PROPERTY = "photoRequest";
    /** Exchange property holding the recipient a split branch delivers to. */
    public static final String RECIPIENT = "photoRecipient";
    /** Exchange property with the target id of that recipient, for the router. */
    public static final String TARGET = "photoTarget";
}
