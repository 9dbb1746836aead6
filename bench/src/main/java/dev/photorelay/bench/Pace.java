package dev.photorelay.bench;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * How a producer of the benchmark hands its photos in (renamed into an inbox, or sent to Kafka): all at once, or at a
 * steady rate. Either way it notes when each step began, on {@link System#nanoTime()} (the clock of the fake's
 * receipts), which is where a photo's throughput and latency are measured from.
 */
final class Pace {

    /** Hands in photo {@code index} of a run (from 0). */
    interface Step {
        void take(int index) throws IOException;
    }

    private Pace() {
    }

    /** Takes {@code count} steps one after the other, as fast as they go; returns the time each began (ns). */
    static long[] allAtOnce(int count, Step step) throws IOException {
        long[] began = new long[count];
        for (int i = 0; i < count; i++) {
            began[i] = System.nanoTime();
            step.take(i);
        }
        return began;
    }

    /**
     * Takes {@code count} steps at {@code perSecond}, each on its schedule from the first (not drifting when one is
     * late); returns the time each began (ns).
     */
    static long[] steady(int count, int perSecond, Step step) throws IOException {
        long[] began = new long[count];
        long start = System.nanoTime();
        long spacing = 1_000_000_000L / perSecond;
        for (int i = 0; i < count; i++) {
            long due = start + i * spacing;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            began[i] = System.nanoTime();
            step.take(i);
        }
        return began;
    }
}
