package dev.photorelay.delivery;

import org.apache.camel.Exchange;

/**
 * What the relay changed, for one recipient of one photo, to get it through: the way the photo was prepared, and
 * changes asked for by a platform's answer (a caption sent as plain text, a chat that moved). Shared by the attempts
 * of one delivery (each attempt runs on a copy of the delivery's exchange, which shares this object), and written
 * into the recipient's outcome when it settles. Used by one delivery at a time, in turn.
 */
public final class Adjustments {

    /** Exchange property holding a delivery's adjustments. */
    public static final String PROPERTY = "photoAdjustments";

    private Adaptation adapted;
    private boolean asDocument;
    private boolean captionAsPlainText;
    private String migratedTo;
    private boolean migrationAnswered;
    private boolean markupSent;
    private boolean resendNow;

    public static Adjustments of(Exchange exchange) {
        Adjustments adjustments = exchange.getProperty(PROPERTY, Adjustments.class);
        if (adjustments == null) {
            adjustments = new Adjustments();
            exchange.setProperty(PROPERTY, adjustments);
        }
        return adjustments;
    }

    public void prepared(PreparedPhoto prepared) {
        adapted = prepared.adapted();
        asDocument = prepared.asDocument();
    }

    /** The caption is sent without its {@code parse_mode} from now on. */
    public boolean captionAsPlainText() {
        return captionAsPlainText;
    }

    /** Whether the last call sent a caption with markup ({@code parse_mode}) to be parsed. */
    public void markupSent(boolean sent) {
        markupSent = sent;
    }

    /**
     * Sends the caption as plain text, once more at once; false if the last call sent no markup, or the caption
     * already was plain text.
     */
    public boolean sendCaptionAsPlainText() {
        if (captionAsPlainText || !markupSent) {
            return false;
        }
        captionAsPlainText = true;
        resendNow = true;
        return true;
    }

    /** The chat id the photo goes to instead of the recipient's (a Telegram group that became a supergroup). */
    public String migratedTo() {
        return migratedTo;
    }

    /**
     * Sends to this chat id from now on.
     *
     * @param  answered the platform's answer named it, and the changed call goes at once: at most once per delivery,
     *                  so that answers naming chat after chat cannot keep a photo going round
     * @return          whether it changed anything
     */
    public boolean sendTo(String chatId, boolean answered) {
        if (answered) {
            if (migrationAnswered) {
                return false;
            }
            migrationAnswered = true;
            resendNow = true;
        } else if (chatId.equals(migratedTo)) {
            return false;
        }
        migratedTo = chatId;
        return true;
    }

    /** Whether the last answer asked for a changed call, to be made at once; asked once. */
    public boolean takeResendNow() {
        boolean due = resendNow;
        resendNow = false;
        return due;
    }

    /** The outcome with what was changed for it. */
    public Outcome applyTo(Outcome outcome) {
        return outcome.adjusted(adapted, asDocument ? Outcome.SENT_AS_DOCUMENT : null,
                captionAsPlainText ? Boolean.TRUE : null, migratedTo);
    }
}
