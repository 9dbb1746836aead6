package dev.photorelay.bench;

import java.util.Map;

/**
 * The large-photo figures of one fresh process for one target in one round: throughput, peak RSS, and the heap
 * (after a full GC) before and after the run, which shows whether memory grows with the number of photos.
 */
final class LargeRun extends ProcessRun {

    /** From 1. */
    final int round;
    Figures.Throughput throughput;
    Long heapBeforeBytes;
    Long heapAfterBytes;

    LargeRun(String contender, String target, int round) {
        super(contender, target);
        this.round = round;
    }

    @Override
    void putFigures(Map<String, Object> map) {
        map.put("round", round);
        map.put("throughput", throughput == null ? null : throughput.toMap());
        map.put("heapUsedBeforeRunBytes", heapBeforeBytes);
        map.put("heapUsedAfterRunBytes", heapAfterBytes);
    }
}
