package dev.photorelay.bench;

import java.util.List;
import java.util.Map;

/**
 * The figures of one process (the relay or a baseline) for one target at the standard photo size. Its bursts in the
 * alternating rounds, and its ratios to the others, are in the target's {@link Comparison}.
 */
final class StandardRun extends ProcessRun {

    /** The first warm-up burst, dropped all at once into the fresh process. */
    Figures.Throughput coldThroughput;
    /** Photos delivered in the warm-up, and how long it took. */
    Integer warmupPhotos;
    Double warmupSeconds;
    /** Whether the warm-up ended with the JIT compiler quiet, rather than at the longest warm-up. */
    Boolean warmupSteady;
    /** Its burst with the median rate among its rounds' bursts, and the rates of all of them in round order. */
    Figures.Throughput throughput;
    List<Double> throughputRates;
    Figures.Latency latency;
    Long heapAfterGcBytes;

    StandardRun(String contender, String target) {
        super(contender, target);
    }

    @Override
    void putFigures(Map<String, Object> map) {
        map.put("coldThroughput", coldThroughput == null ? null : coldThroughput.toMap());
        map.put("warmupPhotos", warmupPhotos);
        map.put("warmupSeconds", warmupSeconds);
        map.put("warmupSteady", warmupSteady);
        map.put("throughput", throughput == null ? null : throughput.toMap());
        map.put("throughputRunsPhotosPerSecond", throughputRates);
        map.put("latency", latency == null ? null : latency.toMap());
        map.put("heapUsedAfterFullGcBytes", heapAfterGcBytes);
    }
}
