package dev.photorelay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * Waits at the fake platform until every photo of a run has reached all its recipients. A photo's delivery time is
 * its last recipient's receipt. Only the run's own recipients count: the processes idling beside the measured one
 * send to others. Gives up when nothing new has arrived for them for {@link #STALL}, or the process died.
 */
final class Deliveries {

    static final Duration STALL = Duration.ofSeconds(30);
    private static final int MISSING_SHOWN = 20;

    /**
     * @param deliveredAt photo id → when its last recipient got it (only photos that reached them all)
     * @param receipts every call to the run's recipients the fake recorded during the run
     * @param failure why the wait ended early, or null
     */
    record Outcome(Map<Integer, Long> deliveredAt, List<Receipt> receipts, String failure) {
    }

    private Deliveries() {
    }

    static Outcome await(FakePlatform fake, List<Integer> ids, Destinations destinations, BooleanSupplier alive)
            throws InterruptedException {
        Set<Integer> expected = new HashSet<>(ids);
        Map<Integer, Set<String>> reached = new HashMap<>();
        Map<Integer, Long> latest = new HashMap<>();
        Map<Integer, Long> deliveredAt = new HashMap<>();
        List<Receipt> receipts = new ArrayList<>();
        int seen = 0;
        long lastProgress = System.nanoTime();
        while (deliveredAt.size() < expected.size()) {
            List<Receipt> recorded = fake.receiptsFrom(seen);
            seen += recorded.size();
            List<Receipt> fresh = recorded.stream()
                    .filter(receipt -> destinations.recipients().contains(receipt.destination())).toList();
            receipts.addAll(fresh);
            for (Receipt receipt : fresh) {
                int id = receipt.photoId();
                if (expected.contains(id) && reached.computeIfAbsent(id, i -> new HashSet<>()).add(receipt.destination())) {
                    // receipts are recorded by several threads, not necessarily in time order
                    long last = latest.merge(id, receipt.receivedAt(), Math::max);
                    if (reached.get(id).size() == destinations.recipientsPerPhoto()) {
                        deliveredAt.put(id, last);
                    }
                }
            }
            if (!fresh.isEmpty()) {
                lastProgress = System.nanoTime();
            }
            String failure = !alive.getAsBoolean() ? "the process under test exited"
                    : System.nanoTime() - lastProgress > STALL.toNanos() ? "nothing arrived for " + STALL.toSeconds() + " s"
                    : null;
            if (failure != null) {
                return new Outcome(deliveredAt, receipts, failure + "; " + missing(expected, deliveredAt.keySet(), fake));
            }
            Thread.sleep(5);
        }
        return new Outcome(deliveredAt, receipts, null);
    }

    private static String missing(Set<Integer> expected, Set<Integer> delivered, FakePlatform fake) {
        TreeSet<Integer> missing = new TreeSet<>(expected);
        missing.removeAll(delivered);
        String shown = missing.stream().limit(MISSING_SHOWN).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
        return (expected.size() - missing.size()) + " of " + expected.size() + " photos delivered; missing ids: " + shown
                + (missing.size() > MISSING_SHOWN ? ", ..." : "")
                + (fake.refused() > 0 ? "; the fake refused " + fake.refused() + " call(s), last: " + fake.lastRefusal() : "");
    }
}
