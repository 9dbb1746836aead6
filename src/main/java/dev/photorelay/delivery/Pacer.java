package dev.photorelay.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Queue;
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
 * Lets each call go to its platform only when the platform's limits allow it, so that platforms never need to
 * push back: the step right before the HTTP call, so that the pace holds between the calls themselves. Every recipient has a lane: one photo at a time, in the order they were lined up ({@link #lineUp}), its
 * retries included, so a recipient gets its photos in the order they came. Within the lane, calls keep the per-recipient rate, and all
 * lanes of a platform share its overall rate. A platform's "wait until" (a 429) holds the lane (Sonoran: the whole
 * platform, which limits per community). Waiting holds no thread: the attempt is scheduled on
 * {@code deliveryThreads} for when it may go.
 * <p>
 * {@link #release} must follow once the recipient's photo is done, to open the lane to the next one.
 */
@Singleton
@Named("pacer")
@RegisterForReflection
public class Pacer extends AsyncProcessorSupport {

    /** Exchange property (an {@link Instant}): the attempt may not go before this (set by {@link RetryPolicy}). */
    public static final String NOT_BEFORE = "photoNotBefore";
    private static final int IDLE_LANES_KEPT = 10_000;

    private final ScheduledExecutorService threads;
    private final Duration maxWait;
    private final Map<Target, Gate> platforms = new EnumMap<>(Target.class);
    private final Map<Recipient, Lane> lanes = new HashMap<>();

    public Pacer(RelayConfig config, @Named("deliveryThreads") ScheduledExecutorService threads) {
        this.threads = threads;
        this.maxWait = config.retry().maxWait();
        platforms.put(Target.TELEGRAM, new Gate(config.telegram().pacing()));
        platforms.put(Target.ZAPI, new Gate(config.zapi().pacing()));
        platforms.put(Target.SONORAN, new Gate(config.sonoran().pacing()));
    }

    /**
     * Step before the fan-out: puts the photo in line at each of its recipients' lanes, in the order photos come in
     * (the fan-out then runs on several threads, which would not keep that order by themselves).
     */
    public void lineUp(Exchange exchange) {
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        synchronized (this) {
            for (Recipient recipient : request.recipients()) {
                lane(recipient).line.add(request);
            }
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Object delivery = delivery(exchange);
        synchronized (this) {
            Lane lane = lane(recipient);
            if (!lane.inLine(delivery)) {
                lane.line.add(delivery);
            }
            if (lane.line.peek() == delivery) {
                admit(recipient, lane, exchange, callback);
            } else {
                lane.arrived.put(delivery, new Waiting(exchange, callback));
            }
        }
        return false;
    }

    /**
     * The photo is done with this recipient (or never needed the pacer): the next photo in the lane may go. Must
     * follow every {@link #lineUp}, or the lane would wait for it for ever.
     */
    public void release(Exchange exchange) {
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Object delivery = delivery(exchange);
        synchronized (this) {
            Lane lane = lanes.get(recipient);
            if (lane == null) {
                return;
            }
            boolean wasFirst = lane.line.peek() == delivery;
            lane.line.removeIf(d -> d == delivery);
            lane.arrived.remove(delivery);
            Object next = lane.line.peek();
            Waiting waiting = wasFirst && next != null ? lane.arrived.remove(next) : null;
            if (waiting != null) {
                admit(recipient, lane, waiting.exchange, waiting.callback);
            } else if (next == null && lanes.size() > IDLE_LANES_KEPT) {
                forgetIdleLanes();
            }
        }
    }

    private Lane lane(Recipient recipient) {
        return lanes.computeIfAbsent(recipient, r -> new Lane(platforms.get(r.target()).spacing(r)));
    }

    /**
     * What a lane is held by: the delivery of one photo to the recipient, across all its attempts. Each attempt runs
     * on its own copy of the exchange, so the photo's request (one per photo) stands for it.
     */
    private static Object delivery(Exchange exchange) {
        return exchange.getProperty(PhotoRequest.PROPERTY);
    }

    /** The platform asked for no calls until then: to this recipient, or (Sonoran) to the whole platform. */
    public synchronized void hold(Recipient recipient, Instant until) {
        if (recipient.target() == Target.SONORAN) {
            Gate gate = platforms.get(recipient.target());
            gate.heldUntil = later(gate.heldUntil, until);
        } else {
            Lane lane = lane(recipient);
            lane.heldUntil = later(lane.heldUntil, until);
        }
    }

    /** Decides when the lane's current photo may go, and schedules it then; called holding the lock. */
    private void admit(Recipient recipient, Lane lane, Exchange exchange, AsyncCallback callback) {
        Gate gate = platforms.get(recipient.target());
        Instant now = Instant.now();
        Instant held = later(lane.heldUntil, gate.heldUntil);
        if (held != null && Duration.between(now, held).compareTo(maxWait) > 0) {
            exchange.setException(new PacingHold(recipient, held));
            threads.execute(() -> callback.done(false));
            return;
        }
        // first wait, without taking a place in the platform's pace, for the retry delay, a hold and the lane's pace
        Instant ready = later(later(held, exchange.getProperty(NOT_BEFORE, Instant.class)), now);
        long nanos = System.nanoTime();
        long wait = Math.max(Duration.between(now, ready).toNanos(), lane.lastStart.nanosUntilNext(nanos, lane.spacing));
        if (wait > 0) {
            threads.schedule(() -> readmit(recipient, lane, exchange, callback), wait, TimeUnit.NANOSECONDS);
            return;
        }
        // then a place in the platform's pace: the next free slot, in arrival order
        long slot = Math.max(nanos, gate.nextSlot);
        gate.nextSlot = slot + gate.spacing;
        threads.schedule(() -> start(recipient, lane, exchange, callback), slot - nanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void readmit(Recipient recipient, Lane lane, Exchange exchange, AsyncCallback callback) {
        admit(recipient, lane, exchange, callback);
    }

    /**
     * Sends the attempt on its way, unless a busy pool made its slot run late and bunch up with others: the pace is
     * kept between the actual starts.
     */
    private void start(Recipient recipient, Lane lane, Exchange exchange, AsyncCallback callback) {
        synchronized (this) {
            Gate gate = platforms.get(recipient.target());
            long now = System.nanoTime();
            long wait = Math.max(gate.lastStart.nanosUntilNext(now, gate.spacing),
                    lane.lastStart.nanosUntilNext(now, lane.spacing));
            if (wait > 0) {
                threads.schedule(() -> start(recipient, lane, exchange, callback), wait, TimeUnit.NANOSECONDS);
                return;
            }
            gate.lastStart.at(now);
            lane.lastStart.at(now);
        }
        // the call goes now: that is an attempt
        exchange.setProperty(RetryPolicy.ATTEMPTS, exchange.getProperty(RetryPolicy.ATTEMPTS, 0, Integer.class) + 1);
        callback.done(false);
    }

    private void forgetIdleLanes() {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        lanes.values().removeIf(lane -> lane.line.isEmpty() && lane.lastStart.nanosUntilNext(now, lane.spacing) <= 0
                && (lane.heldUntil == null || lane.heldUntil.isBefore(wall)));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** When something last started, on the monotonic clock. */
    private static final class LastStart {
        private boolean ever;
        private long nanos;

        long nanosUntilNext(long now, long spacing) {
            return ever ? nanos + spacing - now : 0;
        }

        void at(long now) {
            ever = true;
            nanos = now;
        }
    }

    /** One platform: its overall pace and any hold on all of it. */
    private static final class Gate {
        final long spacing;
        final long recipientSpacing;
        final long groupSpacing;
        final LastStart lastStart = new LastStart();
        long nextSlot = Long.MIN_VALUE;
        Instant heldUntil;

        Gate(RelayConfig.Pacing pacing) {
            spacing = Rate.parse(pacing.overall()).spacingNanos();
            recipientSpacing = Rate.parse(pacing.perRecipient()).spacingNanos();
            groupSpacing = pacing.perGroup().map(r -> Rate.parse(r).spacingNanos()).orElse(recipientSpacing);
        }

        long spacing(Recipient recipient) {
            return recipient.target().isGroup(recipient.id()) ? groupSpacing : recipientSpacing;
        }
    }

    /**
     * One recipient: its photos in line (the first may go; it keeps its place through its retries), those of them
     * already at the pacer waiting for their turn, its pace and any hold on it.
     */
    private static final class Lane {
        final long spacing;
        final LastStart lastStart = new LastStart();
        final Queue<Object> line = new ArrayDeque<>();
        final Map<Object, Waiting> arrived = new IdentityHashMap<>();
        Instant heldUntil;

        Lane(long spacing) {
            this.spacing = spacing;
        }

        boolean inLine(Object delivery) {
            return line.stream().anyMatch(d -> d == delivery);
        }
    }

    private record Waiting(Exchange exchange, AsyncCallback callback) {
    }
}
