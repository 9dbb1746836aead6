package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The targets the relay is held to, each beside the figures that measure it: the report's first table and the JSON's
 * {@code targets}. A ratio to a baseline is the median of the per-round ratios (see {@link Comparison}); an absolute
 * figure's ratio is the figure over its limit. A target is met when the median ratio is within it; the spread shows
 * how sure that is.
 */
final class Targets {

    /** Relay / durable baseline, photos per second: at least. */
    static final double THROUGHPUT_VS_DURABLE = 1.0;
    /** Relay / durable baseline, CPU time per photo: at most. */
    static final double CPU_PER_PHOTO_VS_DURABLE = 1.0;
    /** Start to ready, median of the starts: at most, in seconds. */
    static final double STARTUP_SECONDS = 1.0;
    /** Peak RSS of the relay in any run: at most, in MB (MiB). */
    static final double PEAK_RSS_MB = 200;
    /** Latency p99 at the latency run's rate: at most, in ms. */
    static final double LATENCY_P99_MS = 250;
    /** Relay / baseline, photos per second of large photos to Sonoran: at least. */
    static final double SONORAN_LARGE_VS_BASELINE = 0.8;
    /** Three relays in one Kafka consumer group / one relay, photos per second: at least. */
    static final double KAFKA_THREE_VS_ONE = 2.5;

    private Targets() {
    }

    /**
     * @param measured the figures the ratio comes from, as the report shows them
     * @param ratio null when a figure is missing (a run that failed or was left out)
     * @param atLeast whether the ratio must be at least {@code bound}, or at most
     */
    record Row(String figure, String measured, Spread ratio, String target, boolean atLeast, double bound) {

        /** Null when there is no ratio. */
        Boolean met() {
            return ratio == null ? null : atLeast ? ratio.median() >= bound : ratio.median() <= bound;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("figure", figure);
            map.put("measured", measured);
            map.put("ratio", ratio == null ? null : ratio.toMap());
            map.put("target", target);
            map.put("met", met());
            return map;
        }
    }

    static List<Row> rows(Options options, Results results) {
        List<Row> rows = new ArrayList<>();
        if (!options.skipDurable) {
            for (Comparison comparison : results.comparisons) {
                rows.add(versus(comparison, "throughput vs durable baseline", Contender.DURABLE_BASELINE,
                        Figures.Throughput::photosPerSecond, "%.0f", "photos/s", true, THROUGHPUT_VS_DURABLE));
            }
            for (Comparison comparison : results.comparisons) {
                rows.add(versus(comparison, "CPU per photo vs durable baseline", Contender.DURABLE_BASELINE,
                        Figures.Throughput::cpuMillisPerPhoto, "%.2f", "ms", false, CPU_PER_PHOTO_VS_DURABLE));
            }
        }
        if (results.startup != null) {
            for (StartupRun.Variant variant : List.of(StartupRun.RELAY, StartupRun.RELAY_WITHOUT_ARCHIVE)) {
                Spread seconds = results.startup.spread(variant);
                rows.add(absolute("start to ready, " + variant.label(), seconds == null ? null
                        : seconds.format("%.2f") + " s, median (min–max) of " + seconds.values().size(),
                        seconds == null ? null : seconds.median(), "%.1f s", STARTUP_SECONDS));
            }
        }
        for (StandardRun run : relayRuns(results.runs)) {
            rows.add(peakRss("peak RSS, " + options.photos + "-photo bursts, " + run.target, run.peakRssBytes));
        }
        for (Comparison comparison : results.largeComparisons) {
            Long highest = results.largeRuns.stream()
                    .filter(run -> isRelay(run) && run.target.equals(comparison.target)).map(run -> run.peakRssBytes)
                    .filter(Objects::nonNull).max(Long::compare).orElse(null);
            rows.add(peakRss("peak RSS, " + options.largePhotos + " × " + Units.size(options.largeSize) + ", "
                    + comparison.target + " (highest of its rounds)", highest));
        }
        if (results.fitRun != null) {
            rows.add(peakRss("peak RSS, fitting " + options.fitPhotos + " × " + Units.size(options.fitSize),
                    results.fitRun.peakRssBytes));
        }
        for (StandardRun run : relayRuns(results.runs)) {
            Double p99 = run.latency == null ? null : run.latency.p99();
            rows.add(absolute("latency p99 at " + options.rate + "/s, " + run.target, p99, "%.0f ms", LATENCY_P99_MS));
        }
        Comparison sonoranLarge = results.largeComparison("sonoran");
        if (sonoranLarge != null) {
            rows.add(versus(sonoranLarge, "large photos (" + Units.size(options.largeSize) + ") vs baseline",
                    Contender.BASELINE, Figures.Throughput::photosPerSecond, "%.1f", "photos/s", true,
                    SONORAN_LARGE_VS_BASELINE));
        }
        if (results.kafka != null) {
            rows.addAll(kafka(options, results.kafka));
        }
        return rows;
    }

    /**
     * The Kafka run's rows: three relays in one group against one, photos/s (the machine's cores shared by everything
     * the run starts, said beside the figure), and each group's request-to-delivery latency p99, held to the inbox's
     * latency target.
     */
    private static List<Row> kafka(Options options, KafkaRun kafka) {
        Spread one = kafka.one.figure(burst -> burst.throughput().photosPerSecond());
        Spread three = kafka.three.figure(burst -> burst.throughput().photosPerSecond());
        String measured = one == null || three == null ? null : String.format(Locale.ROOT,
                "one %.0f / three %.0f photos/s (medians of %d rounds; the broker, %d relays, the fake and the "
                        + "producer on %d cores)", one.median(), three.median(), three.values().size(),
                kafka.one.relays + kafka.three.relays, Runtime.getRuntime().availableProcessors());
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Kafka: three relays in one group vs one, " + kafka.serviceTime.toMillis() + " ms per call",
                measured, kafka.threeOverOne(), String.format(Locale.ROOT, "≥ %.1f ×", KAFKA_THREE_VS_ONE), true,
                KAFKA_THREE_VS_ONE));
        for (KafkaRun.GroupRun group : List.of(kafka.one, kafka.three)) {
            Double p99 = group.latency == null ? null : group.latency.p99();
            rows.add(absolute("Kafka: request to delivery latency p99 at " + options.kafkaRate() + "/s, " + group.label,
                    p99, "%.0f ms", LATENCY_P99_MS));
        }
        return rows;
    }

    /** The relay's figure against {@code other}'s, round by round; the ratio at least or at most {@code bound}. */
    private static Row versus(Comparison comparison, String figure, Contender other,
            ToDoubleFunction<Figures.Throughput> value, String format, String unit, boolean atLeast, double bound) {
        Spread relay = comparison.figure(Contender.RELAY, value);
        Spread theirs = comparison.figure(other, value);
        String measured = relay == null || theirs == null ? null
                : String.format(Locale.ROOT, "relay " + format + " / " + other.label() + " " + format + " " + unit
                        + " (medians of %d rounds)", relay.median(), theirs.median(), relay.values().size());
        return new Row(figure + ", " + comparison.target, measured, comparison.ratio(Contender.RELAY, other, value),
                String.format(Locale.ROOT, "%s %.1f ×", atLeast ? "≥" : "≤", bound), atLeast, bound);
    }

    private static Row peakRss(String figure, Long bytes) {
        return absolute(figure, bytes == null ? null : Units.mib(bytes), "%.0f MB", PEAK_RSS_MB);
    }

    /** A figure and its limit, both shown in {@code format}. */
    private static Row absolute(String figure, Double value, String format, double limit) {
        return absolute(figure, value == null ? null : String.format(Locale.ROOT, format, value), value, format, limit);
    }

    /** An absolute figure: its ratio is the figure over the limit, which must be at most 1. */
    private static Row absolute(String figure, String measured, Double value, String format, double limit) {
        return new Row(figure, measured, value == null ? null : Spread.of(List.of(value / limit)),
                "≤ " + String.format(Locale.ROOT, format, limit), false, 1.0);
    }

    private static List<StandardRun> relayRuns(List<StandardRun> runs) {
        return runs.stream().filter(Targets::isRelay).toList();
    }

    private static boolean isRelay(ProcessRun run) {
        return run.contender.equals(Contender.RELAY.label());
    }
}
