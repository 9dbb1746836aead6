package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A figure taken several times (once per round, or per start): its median, its least and greatest value (the
 * spread), and every value in the order taken. The median of an even count is the mean of the middle two.
 */
record Spread(double median, double min, double max, List<Double> values) {

    /** Null for no values. */
    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        double median = sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(sorted.size() - 1), List.copyOf(values));
    }

    /** E.g. {@code 0.93 (0.81–1.02)}, each number in {@code format}. */
    String format(String format) {
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median, min, max);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("median", median);
        map.put("min", min);
        map.put("max", max);
        map.put("values", values);
        return map;
    }
}
