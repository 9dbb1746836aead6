package dev.photorelay.delivery;

/**
 * What travels with a photo besides its bytes; every field is optional.
 *
 * @param asDocument Telegram only: send the original file with {@code sendDocument} instead of a photo
 */
public record SendOptions(String caption, String replyTo, Boolean viewOnce, Integer delaySeconds, String parseMode,
        Boolean asDocument) {

    /** The same options without the caption (and its parse mode): for an album's calls after its first. */
    public SendOptions withoutCaption() {
        return new SendOptions(null, replyTo, viewOnce, delaySeconds, null, asDocument);
    }
}
