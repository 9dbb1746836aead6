package dev.photorelay.delivery;

import java.time.Instant;

/**
 * A platform asked us to hold back (a rate limit) for longer than {@code relay.retry.max-wait}: the photo is not
 * sent ({@code RATE_LIMITED}), and may be sent again from {@link #until()}.
 */
public class PacingHold extends PhotoDeliveryException {

    private final Instant until;

    public PacingHold(Recipient recipient, Instant until) {
        super(ErrorCode.RATE_LIMITED, recipient.target() + " asked for no calls to " + recipient + " until " + until
                + ", longer than relay.retry.max-wait; not sent");
        this.until = until;
    }

    public Instant until() {
        return until;
    }
}
