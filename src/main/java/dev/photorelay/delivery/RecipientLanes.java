package dev.photorelay.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One photo at a time per recipient, in the order the photos came ({@link #lineUp}, before the fan-out goes
 * parallel), retries included: a recipient gets its photos in order. A photo waiting for its turn holds no thread
 * and nothing built for the platform yet. {@link #release} must follow every {@link #lineUp}, or the recipient's
 * later photos would wait for ever.
 */
@Singleton
@Named("recipientLanes")
@RegisterForReflection
public class RecipientLanes extends AsyncProcessorSupport {

    private final ScheduledExecutorService threads;
    private final Map<Recipient, Lane> lanes = new HashMap<>();

    public RecipientLanes(@Named("deliveryThreads") ScheduledExecutorService threads) {
        this.threads = threads;
    }

    /** Step before the fan-out: puts the photo in line at each of its recipients. */
    public void lineUp(Exchange exchange) {
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        synchronized (this) {
            for (Recipient recipient : request.recipients()) {
                lanes.computeIfAbsent(recipient, r -> new Lane()).line.add(request);
            }
        }
    }

    /** Waits for the photo's turn at its recipient. */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Object delivery = delivery(exchange);
        synchronized (this) {
            Lane lane = lanes.computeIfAbsent(recipient, r -> new Lane());
            if (lane.line.stream().noneMatch(d -> d == delivery)) {
                lane.line.add(delivery);
            }
            if (lane.line.peek() != delivery) {
                lane.waiting.put(delivery, callback);
                return false;
            }
        }
        callback.done(true);
        return true;
    }

    /** The photo is done with this recipient (or never needed its turn): the next one may go. */
    public void release(Exchange exchange) {
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        Object delivery = delivery(exchange);
        AsyncCallback next = null;
        synchronized (this) {
            Lane lane = lanes.get(recipient);
            if (lane == null) {
                return;
            }
            boolean wasFirst = lane.line.peek() == delivery;
            lane.line.removeIf(d -> d == delivery);
            lane.waiting.remove(delivery);
            if (lane.line.isEmpty()) {
                lanes.remove(recipient);
            } else if (wasFirst) {
                next = lane.waiting.remove(lane.line.peek());
            }
        }
        if (next != null) {
            AsyncCallback turn = next;
            threads.execute(() -> turn.done(false));
        }
    }

    /**
     * Whose turn it is: the delivery of one photo to the recipient, across all its attempts. The photo's request
     * (one per photo) stands for it.
     */
    private static Object delivery(Exchange exchange) {
        return exchange.getProperty(PhotoRequest.PROPERTY);
    }

    /** A recipient's photos in line (the first one's turn) and those of them already waiting for it. */
    private static final class Lane {
        final Queue<Object> line = new ArrayDeque<>();
        final Map<Object, AsyncCallback> waiting = new IdentityHashMap<>();
    }
}
