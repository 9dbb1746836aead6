package dev.photorelay.delivery;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What happened to a photo for one recipient: the line in a receipt or error record.
 *
 * @param attempts    platform calls made (0: failed before any call, e.g. the photo was refused by our own checks)
 * @param retryAt     when the platform said it may be sent again (a rate limit), if it said
 * @param alreadySent delivered before this run or this try (a restart, a photo moved back from .failed/): not sent again
 * @param adapted     what was done to the photo so that the platform takes it (fitted), if anything
 * @param sentAs      {@code document}: sent as a file (Telegram {@code sendDocument}), not as a photo
 * @param captionAsPlainText the platform could not parse the caption's markup, so it was sent as plain text
 * @param migratedTo  the chat id the photo went to instead (Telegram {@code migrate_to_chat_id})
 * @param photos      an album's photos that reached the recipient, in order, each with its platform message id: all
 *                    of them when it is sent; those before the call that failed when it is not. Null for one photo.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(
        String target,
        String recipient,
        String status,
        String messageId,
        ErrorCode code,
        Integer httpStatus,
        String platformError,
        int attempts,
        Instant retryAt,
        Boolean alreadySent,
        Instant timestamp,
        Adaptation adapted,
        String sentAs,
        Boolean captionAsPlainText,
        String migratedTo,
        List<AlbumPhoto> photos) {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String SENT_AS_DOCUMENT = "document";
    /** Not sent here: the Kafka request's partition went to another relay of the group, which delivers it. */
    public static final String HANDED_OVER = "handedOver";

    public static Outcome sent(Recipient recipient, String messageId, int httpStatus) {
        return new Outcome(recipient.target().id(), recipient.id(), SENT, messageId, null, httpStatus, null, 0, null,
                null, Instant.now(), null, null, null, null, null);
    }

    /**
     * A call that carried several photos (Telegram {@code sendMediaGroup}): one message id per photo, in order.
     */
    public static Outcome sent(Recipient recipient, List<String> messageIds, int httpStatus) {
        return sent(recipient, messageIds.isEmpty() ? null : messageIds.get(0), httpStatus)
                .withPhotos(messageIds.stream().map(id -> new AlbumPhoto(null, id, null, null)).toList());
    }

    /** Delivered before, by this relay or another of its Kafka group, with nothing more known: not sent again. */
    public static Outcome deliveredEarlier(Recipient recipient) {
        return new Outcome(recipient.target().id(), recipient.id(), SENT, null, null, null, null, 0, null, true,
                Instant.now(), null, null, null, null, null);
    }

    /** A Kafka request this relay gave up to another of its group before its turn came: no call made here. */
    public static Outcome handedOver(Recipient recipient) {
        return new Outcome(recipient.target().id(), recipient.id(), HANDED_OVER, null, null, null, null, 0, null, null,
                Instant.now(), null, null, null, null, null);
    }

    /** Whether the recipient was left to another relay of the group ({@link #handedOver}). */
    public boolean handedOver() {
        return HANDED_OVER.equals(status);
    }

    public static Outcome failed(Recipient recipient, ErrorCode code, Integer httpStatus, String platformError,
            Instant retryAt) {
        return new Outcome(recipient.target().id(), recipient.id(), FAILED, null, code, httpStatus, platformError, 0,
                retryAt, null, Instant.now(), null, null, null, null, null);
    }

    public boolean delivered() {
        return SENT.equals(status);
    }

    public Outcome afterAttempts(int count) {
        return new Outcome(target, recipient, status, messageId, code, httpStatus, platformError, count, retryAt,
                alreadySent, timestamp, adapted, sentAs, captionAsPlainText, migratedTo, photos);
    }

    public Outcome asAlreadySent() {
        return new Outcome(target, recipient, status, messageId, code, httpStatus, platformError, attempts, retryAt, true,
                timestamp, adapted, sentAs, captionAsPlainText, migratedTo, photos);
    }

    /**
     * The same outcome for an album: which of its photos reached the recipient; a sent one's {@code messageId} is then
     * the first photo's.
     */
    public Outcome withPhotos(List<AlbumPhoto> reached) {
        String first = delivered() && reached != null && !reached.isEmpty() ? reached.get(0).messageId() : messageId;
        return new Outcome(target, recipient, status, first, code, httpStatus, platformError, attempts, retryAt,
                alreadySent, timestamp, adapted, sentAs, captionAsPlainText, migratedTo,
                reached == null ? null : List.copyOf(reached));
    }

    /** The same outcome, saying what the relay changed to get the photo through (see {@link Adjustments}). */
    public Outcome adjusted(Adaptation adapted, String sentAs, Boolean captionAsPlainText, String migratedTo) {
        return new Outcome(target, recipient, status, messageId, code, httpStatus, platformError, attempts, retryAt,
                alreadySent, timestamp, adapted, sentAs, captionAsPlainText, migratedTo, photos);
    }
}
