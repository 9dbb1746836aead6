package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's photos go: the inbox folders, photo {@code i} of a run into {@code folders[i % folders.size()]}. The
 * relay sends a recipient one photo at a time (to keep their order), so photos are spread over at least twice as
 * many recipients as there are delivery threads; the baseline gets the very same folders.
 *
 * @param recipientsPerPhoto platform calls per photo (3 for an alias)
 * @param settings the {@code relay.destinations.*} the folders need
 */
record Destinations(String target, List<String> folders, int recipientsPerPhoto, Map<String, String> settings) {

    private static final int MIN_RECIPIENTS = 16;

    static Destinations of(String target, int concurrency) {
        int recipients = Math.max(MIN_RECIPIENTS, 2 * concurrency);
        if (target.equals("alias")) {
            return aliases(recipients / 2);
        }
        List<String> folders = new ArrayList<>();
        for (int i = 1; i <= recipients; i++) {
            folders.add(switch (target) {
                case "telegram" -> "telegram/" + telegramChat(1_000_000 + i);
                case "zapi" -> "zapi/" + zapiPhone(i);
                case "sonoran" -> "sonoran/" + sonoranApiId(1000 + i);
                default -> throw new IllegalArgumentException("unknown target " + target);
            });
        }
        return new Destinations(target, List.copyOf(folders), 1, Map.of());
    }

    /** trio1..trioN, each with its own three recipients: 3 × N recipients in all. */
    private static Destinations aliases(int count) {
        List<String> folders = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            folders.add("trio" + i);
            settings.put("relay.destinations.trio" + i, "telegram:" + telegramChat(2_000_000 + i)
                    + ",zapi:" + zapiPhone(100 + i) + ",sonoran:" + sonoranApiId(2000 + i));
        }
        return new Destinations("alias", List.copyOf(folders), 3, settings);
    }

    String folderOf(int indexInRun) {
        return folders.get(indexInRun % folders.size());
    }

    static String telegramChat(int n) {
        return Integer.toString(n);
    }

    static String zapiPhone(int n) {
        return String.format("55119%08d", n);
    }

    static String sonoranApiId(int n) {
        return "STEAM:" + n;
    }
}
