package dev.photorelay.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The relay with its DEFAULT pacing, checked from the fake's receipt times: 90 photos to 30 Telegram chats and 20
 * to one more chat, and 5 photos to 5 Sonoran recipients, all dropped at once. Telegram allows 30 calls/s per bot
 * and 1/s per chat; Sonoran about 1 call/s per community.
 */
final class PacingCheck {

    private static final int CHATS = 30;
    private static final int PHOTOS_TO_CHATS = 90;
    private static final int PHOTOS_TO_ONE_CHAT = 20;
    private static final int SONORAN_PHOTOS = 5;
    private static final long SECOND = 1_000_000_000L;
    private static final int TELEGRAM_PER_SECOND = 30;
    static final int PHOTOS = PHOTOS_TO_CHATS + PHOTOS_TO_ONE_CHAT + SONORAN_PHOTOS;

    /**
     * @param telegramMaxPerSecond most Telegram calls within any 1 s (limit 30)
     * @param telegramShortestSpanOf31Ms shortest time from a Telegram call to the 30th after it (at least 1000 ms
     *        when the limit holds): how far from the limit the pace is
     * @param telegramMinChatGapMs shortest time between two calls to one chat (limit 1000)
     * @param sonoranMinGapMs shortest time between two Sonoran calls (limit 1000)
     */
    record Result(int telegramCalls, int telegramMaxPerSecond, double telegramShortestSpanOf31Ms,
            double telegramMinChatGapMs, int sonoranCalls, double sonoranMinGapMs, double seconds, String error) {

        boolean overallHeld() {
            return telegramMaxPerSecond <= TELEGRAM_PER_SECOND;
        }

        boolean perChatHeld() {
            return telegramMinChatGapMs >= 1000;
        }

        boolean sonoranHeld() {
            return sonoranMinGapMs >= 1000;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("telegramCalls", telegramCalls);
            map.put("telegramMaxCallsInAnySecond", telegramMaxPerSecond);
            map.put("telegramShortestSpanOf31CallsMs", telegramShortestSpanOf31Ms);
            map.put("telegramOverallLimitHeld", overallHeld());
            map.put("telegramMinGapPerChatMs", telegramMinChatGapMs);
            map.put("telegramPerChatLimitHeld", perChatHeld());
            map.put("sonoranCalls", sonoranCalls);
            map.put("sonoranMinGapMs", sonoranMinGapMs);
            map.put("sonoranLimitHeld", sonoranHeld());
            map.put("seconds", seconds);
            map.put("error", error);
            return map;
        }
    }

    private PacingCheck() {
    }

    static Result run(Options options, FakePlatform fake, PhotoSet photos, Path benchFolder, Path logs)
            throws IOException, InterruptedException {
        Progress.say("pacing check: relay with its default pacing, %d photos at once", PHOTOS);
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < PHOTOS; i++) {
            folders.add(folderOf(i));
        }
        Destinations destinations = Destinations.oneRecipientEach("pacing", folders);
        try (Workspace workspace = Workspace.create(benchFolder, "relay-pacing", folders, logs)) {
            Dropper dropper = new Dropper(photos, workspace);
            List<Integer> ids = photos.first(PHOTOS);
            List<Dropper.Staged> staged = dropper.stage("p", ids, PacingCheck::folderOf);
            try (ServiceProcess relay = Contender.RELAY.start("relay-pacing", workspace, fake, options.concurrency, true,
                    destinations, options, null, true, Map.of())) {
                long start = System.nanoTime();
                dropper.burst(staged);
                Deliveries.Outcome outcome = Deliveries.await(fake, ids, destinations,
                        () -> ProcessHandle.of(relay.pid()).map(ProcessHandle::isAlive).orElse(false));
                fake.reset();
                return analyse(outcome, start);
            }
        } catch (IOException | RuntimeException e) {
            Progress.say("pacing check FAILED: %s", e);
            return new Result(0, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN, e.toString());
        }
    }

    /** 3 photos to each of 30 chats, then 20 to one chat, then one to each of 5 Sonoran recipients. */
    private static String folderOf(int i) {
        if (i < PHOTOS_TO_CHATS) {
            return "telegram/" + Destinations.telegramChat(3_000_001 + i % CHATS);
        }
        if (i < PHOTOS_TO_CHATS + PHOTOS_TO_ONE_CHAT) {
            return "telegram/" + Destinations.telegramChat(3_000_100);
        }
        return "sonoran/" + Destinations.sonoranApiId(3001 + i % SONORAN_PHOTOS);
    }

    private static Result analyse(Deliveries.Outcome outcome, long start) {
        List<Receipt> telegram = sorted(outcome.receipts(), "telegram");
        List<Receipt> sonoran = sorted(outcome.receipts(), "sonoran");
        double minChatGap = telegram.stream().collect(Collectors.groupingBy(Receipt::recipient)).values().stream()
                .mapToDouble(PacingCheck::minGapMs).min().orElse(Double.NaN);
        long end = outcome.receipts().stream().mapToLong(Receipt::receivedAt).max().orElse(start);
        return new Result(telegram.size(), maxInAnySecond(telegram), shortestSpanMs(telegram, TELEGRAM_PER_SECOND + 1),
                minChatGap, sonoran.size(), minGapMs(sonoran), Units.seconds(end - start), outcome.failure());
    }

    private static List<Receipt> sorted(List<Receipt> receipts, String platform) {
        return receipts.stream().filter(r -> r.platform().equals(platform))
                .sorted(Comparator.comparingLong(Receipt::receivedAt)).toList();
    }

    /** The most calls within any window [t, t + 1 s) that starts at a call. */
    private static int maxInAnySecond(List<Receipt> sorted) {
        int max = 0;
        int end = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (end < sorted.size() && sorted.get(end).receivedAt() - sorted.get(i).receivedAt() < SECOND) {
                end++;
            }
            max = Math.max(max, end - i);
        }
        return max;
    }

    /** The shortest time from the first to the last of {@code calls} consecutive calls. */
    private static double shortestSpanMs(List<Receipt> sorted, int calls) {
        double min = Double.NaN;
        for (int i = 0; i + calls - 1 < sorted.size(); i++) {
            double span = Units.millis(sorted.get(i + calls - 1).receivedAt() - sorted.get(i).receivedAt());
            min = Double.isNaN(min) ? span : Math.min(min, span);
        }
        return min;
    }

    private static double minGapMs(List<Receipt> receipts) {
        List<Receipt> sorted = receipts.stream().sorted(Comparator.comparingLong(Receipt::receivedAt)).toList();
        double min = Double.NaN;
        for (int i = 1; i < sorted.size(); i++) {
            double gap = Units.millis(sorted.get(i).receivedAt() - sorted.get(i - 1).receivedAt());
            min = Double.isNaN(min) ? gap : Math.min(min, gap);
        }
        return min;
    }
}
