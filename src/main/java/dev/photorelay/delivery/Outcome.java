package dev.photorelay.delivery;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What happened to a photo for one recipient: the line in a receipt or error record. */
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
        Instant timestamp) {

    public static final String SENT = "sent";
    public static final String FAILED = "failed";

    public static Outcome sent(Recipient recipient, String messageId, int httpStatus) {
        return new Outcome(recipient.target().id(), recipient.id(), SENT, messageId, null, httpStatus, null, 1,
                Instant.now());
    }

    public static Outcome failed(Recipient recipient, ErrorCode code, Integer httpStatus, String platformError) {
        return new Outcome(recipient.target().id(), recipient.id(), FAILED, null, code, httpStatus, platformError, 1,
                Instant.now());
    }

    public boolean delivered() {
        return SENT.equals(status);
    }
}
