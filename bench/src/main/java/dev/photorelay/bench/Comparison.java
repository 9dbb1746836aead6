package dev.photorelay.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Contenders measured side by side in alternating rounds (see {@link Runs#order}): in each round one burst to each, a
 * few seconds apart, so that the ratio of two contenders' figures in one round compares them under the same
 * conditions, where this machine drifts by a fifth over minutes. A ratio is reported as the median of the per-round
 * ratios with their spread, never as a ratio of medians.
 */
final class Comparison {

    final String target;
    /** Each round's bursts by contender, in the order they were taken; a contender that failed has none. */
    private final List<Map<Contender, Figures.Throughput>> rounds = new ArrayList<>();

    Comparison(String target) {
        this.target = target;
    }

    /** {@code round} counts from 0. */
    void add(int round, Contender contender, Figures.Throughput burst) {
        while (rounds.size() <= round) {
            rounds.add(new LinkedHashMap<>());
        }
        rounds.get(round).put(contender, burst);
    }

    int rounds() {
        return rounds.size();
    }

    /** Who had a burst in {@code round}, in the order they had it. */
    List<Contender> order(int round) {
        return round < rounds.size() ? List.copyOf(rounds.get(round).keySet()) : List.of();
    }

    /** The contender's burst in {@code round}, or null. */
    Figures.Throughput burst(int round, Contender contender) {
        return round < rounds.size() ? rounds.get(round).get(contender) : null;
    }

    /** The contender's bursts, in round order. */
    List<Figures.Throughput> bursts(Contender contender) {
        return rounds.stream().map(round -> round.get(contender)).filter(Objects::nonNull).toList();
    }

    /** The contender's figure over the rounds; null if it has no burst. */
    Spread figure(Contender contender, ToDoubleFunction<Figures.Throughput> figure) {
        return Spread.of(bursts(contender).stream().map(figure::applyAsDouble).toList());
    }

    /** {@code of}'s figure over {@code to}'s in each round where both have a burst; null if there is no such round. */
    Spread ratio(Contender of, Contender to, ToDoubleFunction<Figures.Throughput> figure) {
        return Spread.of(rounds.stream().filter(round -> round.containsKey(of) && round.containsKey(to))
                .map(round -> figure.applyAsDouble(round.get(of)) / figure.applyAsDouble(round.get(to))).toList());
    }

    /** Every burst of every round, and for each figure each contender's spread and the relay's ratios to the others. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target);
        List<Map<String, Object>> roundMaps = new ArrayList<>();
        for (Map<Contender, Figures.Throughput> round : rounds) {
            Map<String, Object> bursts = new LinkedHashMap<>();
            round.forEach((contender, burst) -> bursts.put(contender.label(), burst.toMap()));
            roundMaps.add(Map.of("bursts", bursts));
        }
        map.put("rounds", roundMaps);
        map.put("photosPerSecond", figures(Figures.Throughput::photosPerSecond));
        map.put("cpuMsPerPhoto", figures(Figures.Throughput::cpuMillisPerPhoto));
        return map;
    }

    private Map<String, Object> figures(ToDoubleFunction<Figures.Throughput> figure) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Contender contender : Contender.values()) {
            Spread spread = figure(contender, figure);
            if (spread != null) {
                map.put(contender.label(), spread.toMap());
            }
        }
        for (Contender other : Contender.values()) {
            Spread ratio = other == Contender.RELAY ? null : ratio(Contender.RELAY, other, figure);
            if (ratio != null) {
                map.put("relay/" + other.label(), ratio.toMap());
            }
        }
        return map;
    }
}
