package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a run's photos go: the inbox folders, photo {@code i} of a run into {@code folders[i % folders.size()]}. The
 * relay sends a recipient one photo at a time (to keep their order), so photos are spread over at least twice as
 * many recipients as there are delivery threads; the baselines get folders of the same shape.
 *
 * @param recipientsPerPhoto platform calls per photo (3 for an alias)
 * @param settings the {@code relay.destinations.*} the folders need
 * @param recipients every recipient the folders reach, as the fake names them ({@link Receipt#destination()}): the
 *                   receipts of this run, among those of the processes idling beside it
 */
record Destinations(String target, List<String> folders, int recipientsPerPhoto, Map<String, String> settings,
        Set<String> recipients) {

    private static final int MIN_RECIPIENTS = 16;
    /** How far apart the recipient numbers of two contenders running side by side are. */
    private static final int CONTENDER_SPAN = 10_000;

    /**
     * @param contender which of the processes running side by side (from 0): each gets recipients of its own, so a
     *                  photo one of them delivers is never counted for another
     */
    static Destinations of(String target, int concurrency, int contender) {
        int recipients = Math.max(MIN_RECIPIENTS, 2 * concurrency);
        int first = contender * CONTENDER_SPAN;
        if (target.equals("alias")) {
            return aliases(recipients / 2, first);
        }
        List<String> folders = new ArrayList<>();
        for (int i = first + 1; i <= first + recipients; i++) {
            folders.add(switch (target) {
                case "telegram" -> "telegram/" + telegramChat(1_000_000 + i);
                case "zapi" -> "zapi/" + zapiPhone(i);
                case "sonoran" -> "sonoran/" + sonoranApiId(1000 + i);
                default -> throw new IllegalArgumentException("unknown target " + target);
            });
        }
        return oneRecipientEach(target, folders);
    }

    /** Folders {@code <platform>/<recipient>}, each of one recipient. */
    static Destinations oneRecipientEach(String target, List<String> folders) {
        return new Destinations(target, List.copyOf(folders), 1, Map.of(),
                folders.stream().map(folder -> folder.replaceFirst("/", ":")).collect(Collectors.toUnmodifiableSet()));
    }

    /** trio1..trioN, each with its own three recipients: 3 × N recipients in all. */
    private static Destinations aliases(int count, int first) {
        List<String> folders = new ArrayList<>();
        Map<String, String> settings = new LinkedHashMap<>();
        Set<String> recipients = new HashSet<>();
        for (int i = first + 1; i <= first + count; i++) {
            List<String> trio = List.of("telegram:" + telegramChat(2_000_000 + i), "zapi:" + zapiPhone(100 + i),
                    "sonoran:" + sonoranApiId(2000 + i));
            folders.add("trio" + (i - first));
            settings.put("relay.destinations.trio" + (i - first), String.join(",", trio));
            recipients.addAll(trio);
        }
        return new Destinations("alias", List.copyOf(folders), 3, settings, Set.copyOf(recipients));
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
