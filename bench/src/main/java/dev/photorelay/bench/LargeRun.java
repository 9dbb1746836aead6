package dev.photorelay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The large-photo figures of one process for one target: throughput, peak RSS, and the heap (after a full GC)
 * before and after the run, which shows whether memory grows with the number of photos.
 */
final class LargeRun {

    final String contender;
    final String target;
    Double startupSeconds;
    Figures.Throughput throughput;
    Long peakRssBytes;
    Long heapBeforeBytes;
    Long heapAfterBytes;
    Long failedPhotos;
    String error;

    LargeRun(String contender, String target) {
        this.contender = contender;
        this.target = target;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("contender", contender);
        map.put("target", target);
        map.put("startupSeconds", startupSeconds);
        map.put("throughput", throughput == null ? null : throughput.toMap());
        map.put("peakRssBytes", peakRssBytes);
        map.put("heapUsedBeforeRunBytes", heapBeforeBytes);
        map.put("heapUsedAfterRunBytes", heapAfterBytes);
        map.put("failedPhotos", failedPhotos);
        map.put("error", error);
        return map;
    }
}
