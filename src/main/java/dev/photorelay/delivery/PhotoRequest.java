package dev.photorelay.delivery;

import java.util.List;
import java.util.Map;

import dev.photorelay.media.Photo;

/**
 * One photo, or an album of several, with its options and resolved recipients, kept on the exchange while it fans
 * out.
 *
 * @param photos   the photos, in order; one unless it is an album
 * @param album    it came as an album (a folder, several API files, a {@code List} body), even an album of one: its
 *                 records list every photo
 * @param prepared the photos as each platform gets them (see {@code PhotoPreparation}); empty until then
 */
public record PhotoRequest(List<Photo> photos, boolean album, SendOptions options, List<Recipient> recipients,
        Map<Target, PreparedAlbum> prepared) {

    public PhotoRequest(List<Photo> photos, boolean album, SendOptions options, List<Recipient> recipients) {
        this(List.copyOf(photos), album, options, recipients, Map.of());
    }

    public PhotoRequest withPrepared(Map<Target, PreparedAlbum> albums) {
        return new PhotoRequest(photos, album, options, recipients, Map.copyOf(albums));
    }

    /** The photos as the target's platform gets them. */
    public PreparedAlbum preparedFor(Target target) {
        PreparedAlbum prepared = this.prepared.get(target);
        if (prepared == null) {
            throw new IllegalStateException("the photos were not prepared for " + target);
        }
        return prepared;
    }

    /** How a photo of the request is named in records and log lines: its file name, or the link it was given as. */
    public static String nameOf(Photo photo) {
        return photo instanceof Photo.Content content ? content.fileName() : ((Photo.Link) photo).value();
    }

    /** Exchange property holding the request during {@code direct:send-photo}. */
    public static final String PROPERTY = "photoRequest";
    /** Exchange property holding the recipient a split branch delivers to. */
    public static final String RECIPIENT = "photoRecipient";
    /** Exchange property with the target id of that recipient, for the router. */
    public static final String TARGET = "photoTarget";
}
