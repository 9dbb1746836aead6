package dev.photorelay.delivery;

import dev.photorelay.media.Photo;

/**
 * A photo as one platform gets it, made once before the fan-out and shared by that platform's recipients: the photo
 * itself, or without its location, or fitted to the platform's limits, or the original as a document; or why the
 * platform cannot get it at all.
 *
 * @param photo      what is sent (null if refused)
 * @param asDocument Telegram: sent with {@code sendDocument}, as the file it is
 * @param adapted    what was done to it, if it was fitted
 * @param refused    why it cannot be sent to this platform (its recipients fail with this), else null
 */
public record PreparedPhoto(Photo photo, boolean asDocument, Adaptation adapted, PhotoDeliveryException refused) {

    public static PreparedPhoto asIs(Photo photo) {
        return new PreparedPhoto(photo, false, null, null);
    }

    public static PreparedPhoto refused(PhotoDeliveryException why) {
        return new PreparedPhoto(null, false, null, why);
    }

    /**
     * The photo to send.
     *
     * @throws PhotoDeliveryException why this platform cannot be sent it
     */
    public Photo require() throws PhotoDeliveryException {
        if (refused != null) {
            throw refused;
        }
        return photo;
    }
}
