package dev.photorelay.delivery;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What happened to a photo for one recipient: the line in a receipt or error record.
 *
 * @param attempts    platform calls made (0: failed before any call, e.g. the photo was refused by our own checks)
 * @param retryAt     when the platform said it may be sent again (a rate limit), if it said
 * @param alreadySent delivered before this run or this try (a restart, a photo moved back from .failed/): not sent again
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
        Instant timestamp) {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    public static Outcome sent(Recipient recipient, String messageId, int httpStatus) {
        return new Outcome(recipient.target().id(), recipient.id(), SENT, messageId, null, httpStatus, null, 0, null,
                null, Instant.now());
    }

    public static Outcome failed(Recipient recipient, ErrorCode code, Integer httpStatus, String platformError,
            Instant retryAt) {
        return new Outcome(recipient.target().id(), recipient.id(), FAILED, null, code, httpStatus, platformError, 0,
                retryAt, null, Instant.now());
    }

    public boolean delivered() {
        return SENT.equals(status);
    }

    public Outcome afterAttempts(int count) {
        return new Outcome(target, recipient, status, messageId, code, httpStatus, platformError, count, retryAt,
                alreadySent, timestamp);
    }

    public Outcome asAlreadySent() {
        return new Outcome(target, recipient, status, messageId, code, httpStatus, platformError, attempts, retryAt, true,
                timestamp);
    }
}
