package dev.photorelay.delivery;

/** The message headers {@code direct:send-photo} reads. */
public final class PhotoHeaders {

    /** {@code telegram}, {@code zapi} or {@code sonoran}; with {@link #RECIPIENT}. */
    public static final String TARGET = "PhotoTarget";
    /** Chat id or @channel (Telegram), phone digits or group id (Z-API), API id (Sonoran). */
    public static final String RECIPIENT = "PhotoRecipient";
    /** A configured alias ({@code relay.destinations.<alias>}), instead of target and recipient. */
    public static final String DESTINATION = "PhotoDestination";
    public static final String CAPTION = "PhotoCaption";
    /** Telegram {@code reply_to_message_id}, Z-API {@code messageId}. */
    public static final String REPLY_TO = "PhotoReplyTo";
    public static final String VIEW_ONCE = "PhotoViewOnce";
    /** Z-API {@code delayMessage}, 1 to 15. */
    public static final String DELAY_SECONDS = "PhotoDelaySeconds";
    /** Telegram {@code parse_mode}: HTML, Markdown or MarkdownV2. */
    public static final String PARSE_MODE = "PhotoParseMode";
    /** {@code true}: Telegram gets the original file through {@code sendDocument}, not a photo. */
    public static final String AS_DOCUMENT = "PhotoAsDocument";
    /** File name for byte[] and stream bodies (a file body brings its own). */
    public static final String FILE_NAME = "PhotoFileName";

    private PhotoHeaders() {
    }
}
