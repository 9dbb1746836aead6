package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Everything one benchmark measured, for the report and the JSON; what the options left out stays empty or null. */
final class Results {

    /** Photos per second the fake took from a bare JDK client ({@link FakeSelfCheck}). */
    double fakeAlone;
    StartupRun startup;
    /** Per target, one per contender. */
    final List<StandardRun> runs = new ArrayList<>();
    /** The standard runs' alternating rounds, one per target. */
    final List<Comparison> comparisons = new ArrayList<>();
    /** Per target, one per contender and round. */
    final List<LargeRun> largeRuns = new ArrayList<>();
    /** The large-photo runs' alternating rounds, one per target. */
    final List<Comparison> largeComparisons = new ArrayList<>();
    LargeRun fitRun;
    PacingCheck.Result pacing;
    KafkaRun kafka;

    /** The standard runs' comparison for {@code target}, or null. */
    Comparison comparison(String target) {
        return of(comparisons, target);
    }

    /** The large-photo runs' comparison for {@code target}, or null. */
    Comparison largeComparison(String target) {
        return of(largeComparisons, target);
    }

    private static Comparison of(List<Comparison> comparisons, String target) {
        return comparisons.stream().filter(comparison -> comparison.target.equals(target)).findFirst().orElse(null);
    }

    /** The figures as JSON members. */
    void putFigures(Map<String, Object> json, Options options) {
        json.put("fakeAlonePhotosPerSecond", fakeAlone);
        json.put("targets", Targets.rows(options, this).stream().map(Targets.Row::toMap).toList());
        json.put("startupRun", startup == null ? null : startup.toMap());
        json.put("runs", runs.stream().map(StandardRun::toMap).toList());
        json.put("rounds", comparisons.stream().map(Comparison::toMap).toList());
        json.put("largeRuns", largeRuns.stream().map(LargeRun::toMap).toList());
        json.put("largeRounds", largeComparisons.stream().map(Comparison::toMap).toList());
        json.put("fitRun", fitRun == null ? null : fitRun.toMap());
        json.put("pacingCheck", pacing == null ? null : pacing.toMap());
        json.put("kafkaRun", kafka == null ? null : kafka.toMap());
    }
}
