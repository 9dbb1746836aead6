package dev.photorelay.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import dev.photorelay.RelayConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Lets each call go to its platform only when the platform's limits allow it, so that platforms never need to push
 * back: the step right before the HTTP call, so that the pace holds between the calls themselves. It keeps the
 * per-recipient and per-platform rates (10% under them, so that timing jitter on the way cannot push a platform's
 * count over: the benchmark saw 30 calls paced over 1,050 ms arrive within 985 ms on a busy machine), a retry's
 * delay ({@link #NOT_BEFORE}), and a platform's "wait until" (a 429) for the recipient (for
 * Sonoran, which limits per community, for the whole platform). Waiting holds no thread: the call is scheduled on
 * {@code deliveryThreads} for when it may go. One photo per recipient reaches it at a time ({@link RecipientLanes}).
 */
@Singleton
@Named("pacer")
@RegisterForReflection
public class Pacer extends AsyncProcessorSupport {

    /** Exchange property (an {@link Instant}): the attempt may not go before this (set by {@link RetryPolicy}). */
    public static final String NOT_BEFORE = "photoNotBefore";
    private static final double MARGIN = 1.10;
    private static final int IDLE_RECIPIENTS_KEPT = 10_000;

    private final ScheduledExecutorService threads;
    private final Duration maxWait;
    private final Map<Target, Platform> platforms = new EnumMap<>(Target.class);
    private final Map<Recipient, Pace> recipients = new HashMap<>();

    public Pacer(RelayConfig config, @Named("deliveryThreads") ScheduledExecutorService threads) {
        this.threads = threads;
        this.maxWait = config.retry().maxWait();
        platforms.put(Target.TELEGRAM, new Platform(config.telegram().pacing()));
        platforms.put(Target.ZAPI, new Platform(config.zapi().pacing()));
        platforms.put(Target.SONORAN, new Platform(config.sonoran().pacing()));
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (admit(exchange, callback)) {
            callback.done(true);
            return true;
        }
        return false;
    }

    /**
     * This relay is one of {@code relays} sharing each platform's overall rate (the members of its Kafka group, whose
     * bot, instance and community are the same): each keeps {@code 1/relays} of it, so that the group as a whole keeps
     * the platform's limit. Recipients' own paces are not shared: a recipient's requests all go to one relay.
     *
     * @param relays at least 1
     */
    public synchronized void shareOverallRate(int relays) {
        platforms.values().forEach(platform -> platform.pace.spacing = platform.overallSpacing * Math.max(1, relays));
    }

    /** The platform asked for no calls until then: to this recipient, or to all of it if it is limited as a whole. */
    public synchronized void hold(Recipient recipient, Instant until) {
        Pace pace = recipient.target().limitedAsAWhole() ? platforms.get(recipient.target()).pace : pace(recipient);
        pace.heldUntil = later(pace.heldUntil, until);
    }

    /**
     * Decides when the call may go: now, on this thread (true), or later, scheduled on {@code deliveryThreads} then
     * (false). A call free to go at once is not handed to another thread: that would only add a thread switch.
     */
    private synchronized boolean admit(Exchange exchange, AsyncCallback callback) {
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Platform platform = platforms.get(recipient.target());
        Pace pace = pace(recipient);
        Instant now = Instant.now();
        Instant held = later(pace.heldUntil, platform.pace.heldUntil);
        if (held != null && Duration.between(now, held).compareTo(maxWait) > 0) {
            exchange.setException(new PacingHold(recipient, held));
            threads.execute(() -> callback.done(false));
            return false;
        }
        // first wait, without taking a place in the platform's pace, for a retry's delay, a hold and the recipient's pace
        Instant ready = later(later(held, exchange.getProperty(NOT_BEFORE, Instant.class)), now);
        long nanos = System.nanoTime();
        long wait = Math.max(Duration.between(now, ready).toNanos(), pace.nanosUntilNext(nanos));
        if (wait > 0) {
            threads.schedule(() -> {
                if (admit(exchange, callback)) {
                    callback.done(false);
                }
            }, wait, TimeUnit.NANOSECONDS);
            return false;
        }
        // then a place in the platform's pace: the next free slot, in arrival order
        long slot = Math.max(nanos, platform.nextSlot);
        platform.nextSlot = slot + platform.pace.spacing;
        long untilStart = slot > nanos ? slot - nanos : startOrWait(exchange, pace, platform);
        if (untilStart > 0) {
            startIn(untilStart, exchange, callback, pace, platform);
            return false;
        }
        return true;
    }

    /** Sends the call on its way in {@code nanos}, or later still if it must ({@link #startOrWait}). */
    private void startIn(long nanos, Exchange exchange, AsyncCallback callback, Pace pace, Platform platform) {
        threads.schedule(() -> {
            long wait = startOrWait(exchange, pace, platform);
            if (wait > 0) {
                startIn(wait, exchange, callback, pace, platform);
            } else {
                callback.done(false);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Marks the call as started (an attempt), unless a busy pool made its slot run late and bunch up with others:
     * then answers how long it must still wait, for the pace is kept between the actual starts.
     */
    private synchronized long startOrWait(Exchange exchange, Pace pace, Platform platform) {
        long now = System.nanoTime();
        long wait = Math.max(platform.pace.nanosUntilNext(now), pace.nanosUntilNext(now));
        if (wait > 0) {
            return wait;
        }
        platform.pace.startedAt(now);
        pace.startedAt(now);
        if (recipients.size() > IDLE_RECIPIENTS_KEPT) {
            forgetIdle(now);
        }
        exchange.setProperty(RetryPolicy.ATTEMPTS, exchange.getProperty(RetryPolicy.ATTEMPTS, 0, Integer.class) + 1);
        return 0;
    }

    private Pace pace(Recipient recipient) {
        return recipients.computeIfAbsent(recipient, r -> new Pace(platforms.get(r.target()).spacing(r)));
    }

    private void forgetIdle(long now) {
        Instant wall = Instant.now();
        recipients.values().removeIf(pace -> pace.nanosUntilNext(now) <= 0
                && (pace.heldUntil == null || pace.heldUntil.isBefore(wall)));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static long spacingOf(String rate) {
        return (long) (Rate.parse(rate).spacingNanos() * MARGIN);
    }

    /** A pace kept by a recipient or a platform: its spacing, its last call's start, and any hold. */
    private static final class Pace {
        long spacing;
        boolean started;
        long lastStart;
        Instant heldUntil;

        Pace(long spacing) {
            this.spacing = spacing;
        }

        long nanosUntilNext(long now) {
            return started ? lastStart + spacing - now : 0;
        }

        void startedAt(long now) {
            started = true;
            lastStart = now;
        }
    }

    /** One platform: its overall pace, the next free slot in it, and the paces its recipients keep. */
    private static final class Platform {
        final Pace pace;
        /** The overall pace's spacing for a relay on its own. */
        final long overallSpacing;
        final long recipientSpacing;
        final long groupSpacing;
        long nextSlot = Long.MIN_VALUE;

        Platform(RelayConfig.Pacing pacing) {
            overallSpacing = spacingOf(pacing.overall());
            pace = new Pace(overallSpacing);
            recipientSpacing = spacingOf(pacing.perRecipient());
            groupSpacing = pacing.perGroup().map(Pacer::spacingOf).orElse(recipientSpacing);
        }

        long spacing(Recipient recipient) {
            return recipient.target().isGroup(recipient.id()) ? groupSpacing : recipientSpacing;
        }
    }
}
