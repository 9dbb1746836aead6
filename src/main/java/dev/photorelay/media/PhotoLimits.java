package dev.photorelay.media;

/**
 * What one platform takes as a photo, in one place (each {@code PlatformApi} states its own).
 *
 * @param maxBytes           the largest photo, in bytes
 * @param maxWidthPlusHeight width + height at most this, in pixels; 0 for no limit (Telegram: 10000)
 * @param maxAspectRatio     the longer side at most this many times the shorter; 0 for no limit (Telegram: 20)
 * @param maxDocumentBytes   the largest file sent as a document; 0 where the platform takes no documents (Telegram
 *                           bots: 50 MB)
 */
public record PhotoLimits(long maxBytes, int maxWidthPlusHeight, int maxAspectRatio, long maxDocumentBytes) {

    public boolean takesDocuments() {
        return maxDocumentBytes > 0;
    }

    public boolean tooLarge(long size) {
        return size > maxBytes;
    }

    public boolean tooManyPixels(ImageInfo image) {
        return maxWidthPlusHeight > 0 && (long) image.width() + image.height() > maxWidthPlusHeight;
    }

    /** Whether no scaling can fix the photo: its sides are further apart than the platform allows. */
    public boolean tooNarrow(ImageInfo image) {
        int shorter = Math.min(image.width(), image.height());
        return maxAspectRatio > 0 && Math.max(image.width(), image.height()) > (long) maxAspectRatio * shorter;
    }

    public boolean fits(ImageInfo image, long size) {
        return !tooLarge(size) && !tooManyPixels(image) && !tooNarrow(image);
    }
}
