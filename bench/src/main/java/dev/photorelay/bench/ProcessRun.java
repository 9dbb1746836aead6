package dev.photorelay.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every measured process (relay or baseline, one target) reports, filled in as the run goes, so a run that
 * fails part way keeps what it measured and says why. Subclasses add their own figures.
 */
abstract class ProcessRun {

    final String contender;
    final String target;
    Double startupSeconds;
    Long peakRssBytes;
    Long failedPhotos;
    String error;

    ProcessRun(String contender, String target) {
        this.contender = contender;
        this.target = target;
    }

    /** The figures as JSON members: the common ones around the subclass's own. */
    final Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("contender", contender);
        map.put("target", target);
        map.put("startupSeconds", startupSeconds);
        putFigures(map);
        map.put("peakRssBytes", peakRssBytes);
        map.put("failedPhotos", failedPhotos);
        map.put("error", error);
        return map;
    }

    abstract void putFigures(Map<String, Object> map);
}
