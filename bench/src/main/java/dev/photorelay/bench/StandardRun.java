package dev.photorelay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one process (relay or baseline) for one target at the standard photo size: startup, throughput,
 * latency, memory. Filled in as the run goes, so a run that fails part way keeps what it measured, and says why.
 */
final class StandardRun {

    final String contender;
    final String target;
    Double startupSeconds;
    /** The warm-up, dropped all at once into the fresh process. */
    Figures.Throughput coldThroughput;
    Figures.Throughput throughput;
    Figures.Latency latency;
    Long peakRssBytes;
    Long heapAfterGcBytes;
    Long failedPhotos;
    String error;

    StandardRun(String contender, String target) {
        this.contender = contender;
        this.target = target;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("contender", contender);
        map.put("target", target);
        map.put("startupSeconds", startupSeconds);
        map.put("coldThroughput", coldThroughput == null ? null : coldThroughput.toMap());
        map.put("throughput", throughput == null ? null : throughput.toMap());
        map.put("latency", latency == null ? null : latency.toMap());
        map.put("peakRssBytes", peakRssBytes);
        map.put("heapUsedAfterFullGcBytes", heapAfterGcBytes);
        map.put("failedPhotos", failedPhotos);
        map.put("error", error);
        return map;
    }
}
