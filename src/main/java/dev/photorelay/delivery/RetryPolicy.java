package dev.photorelay.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;

import dev.photorelay.RelayConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Whether a recipient's photo is tried again after an attempt, and when. Only transient codes are, up to
 * {@code relay.retry.max-attempts}, after an exponential backoff with jitter that never cuts short the wait a
 * platform asked for; a wait beyond {@code relay.retry.max-wait} is not taken (the record says until when).
 */
@Singleton
@Named("retryPolicy")
@RegisterForReflection
public class RetryPolicy {

    /** Exchange property: platform calls made for this recipient's photo (counted by the pacer as it lets each go). */
    public static final String ATTEMPTS = "photoAttempts";

    private final RelayConfig.Retry config;
    private final Pacer pacer;

    public RetryPolicy(RelayConfig config, Pacer pacer) {
        this.config = config.retry();
        this.pacer = pacer;
    }

    /** The loop condition: nothing tried yet, or {@link #decide} asked for another call. */
    public boolean attemptDue(Exchange exchange) {
        return !(exchange.getMessage().getBody() instanceof Outcome) || exchange.getProperty(Pacer.NOT_BEFORE) != null;
    }

    /**
     * After an attempt: either sets when the next call may go (the album's next call at once, or this one again after
     * a wait), or settles the outcome with its attempt count. A call that went through leaves the delivery's
     * progress as the body until the last one has.
     */
    public void decide(Exchange exchange) {
        Outcome last = exchange.getMessage().getBody(Outcome.class);
        int attempts = exchange.getProperty(ATTEMPTS, 0, Integer.class);
        exchange.removeProperty(Pacer.NOT_BEFORE);
        Adjustments adjustments = Adjustments.of(exchange);
        AlbumDelivery album = AlbumDelivery.of(exchange);
        if (last.delivered() && album.delivered(last, attempts)) {
            // the album's next call, at the platform's pace
            exchange.getMessage().setBody(album);
            exchange.setProperty(Pacer.NOT_BEFORE, Instant.now());
            return;
        }
        if (!last.delivered() && adjustments.takeResendNow()) {
            // the platform said what to change (plain caption, new chat id): the changed call goes at once
            exchange.setProperty(Pacer.NOT_BEFORE, Instant.now());
            return;
        }
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        if (last.code() == ErrorCode.RATE_LIMITED && last.retryAt() != null) {
            // later photos to this recipient would be refused too
            pacer.hold(recipient, last.retryAt());
        }
        Instant next = retryAt(last, album.attemptsOfCall(attempts));
        if (next != null) {
            exchange.setProperty(Pacer.NOT_BEFORE, next);
        } else {
            exchange.getMessage().setBody(album.applyTo(adjustments.applyTo(last.afterAttempts(attempts))));
        }
    }

    /** @param attempts calls made for the current call of the delivery (an album's earlier calls not counted) */
    private Instant retryAt(Outcome last, int attempts) {
        if (last.delivered() || !last.code().isTransient() || attempts == 0 || attempts >= config.maxAttempts()) {
            return null;
        }
        Instant now = Instant.now();
        Instant next = now.plus(backoff(attempts));
        if (last.retryAt() != null && last.retryAt().isAfter(next)) {
            next = last.retryAt();
        }
        return Duration.between(now, next).compareTo(config.maxWait()) > 0 ? null : next;
    }

    /** initial-delay doubled per attempt made, at most max-delay, then between half and all of it (jitter). */
    private Duration backoff(int attemptsMade) {
        long initial = config.initialDelay().toMillis();
        long max = config.maxDelay().toMillis();
        long full = attemptsMade >= 31 ? max : Math.min(max, initial << Math.min(attemptsMade - 1, 30));
        if (full <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }
}
