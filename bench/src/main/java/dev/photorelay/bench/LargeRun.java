package dev.photorelay.bench;

import java.util.Map;

/**
 * The large-photo figures of one process for one target: throughput, peak RSS, and the heap (after a full GC)
 * before and after the run, which shows whether memory grows with the number of photos.
 */
final class LargeRun extends ProcessRun {

    Figures.Throughput throughput;
    Long heapBeforeBytes;
    Long heapAfterBytes;

    LargeRun(String contender, String target) {
        super(contender, target);
    }

    @Override
    void putFigures(Map<String, Object> map) {
        map.put("throughput", throughput == null ? null : throughput.toMap());
        map.put("heapUsedBeforeRunBytes", heapBeforeBytes);
        map.put("heapUsedAfterRunBytes", heapAfterBytes);
    }
}
