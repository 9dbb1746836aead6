package dev.photorelay.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Throughput and latency from a run's rename times and the fake's receipts. */
final class Figures {

    private Figures() {
    }

    /**
     * {@code photos / (last delivery − first rename)}.
     *
     * @param receivedBytes request bodies plus photos the fake fetched
     * @param process what the process under test read, wrote and spent in CPU during the run
     * @param benchmarkCpuSeconds CPU the benchmark JVM (fake platforms, dropper) spent meanwhile
     * @param idleCpuSeconds CPU the processes idling beside it (the other contenders) spent meanwhile
     */
    record Throughput(int photos, double seconds, double photosPerSecond, long photoBytes, long receivedBytes,
            ProcessStats.Counters process, double benchmarkCpuSeconds, double idleCpuSeconds) {

        /** The process's CPU time (user + system) per photo, in ms. */
        double cpuMillisPerPhoto() {
            return process.cpuSeconds() * 1000 / photos;
        }

        /** Cores kept busy by the process and the benchmark JVM together. */
        double coresBusy() {
            return (process.cpuSeconds() + benchmarkCpuSeconds) / seconds;
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("photos", photos);
            map.put("seconds", seconds);
            map.put("photosPerSecond", photosPerSecond);
            map.put("photoBytes", photoBytes);
            map.put("fakeReceivedBytes", receivedBytes);
            map.put("processReadBytes", process.readBytes());
            map.put("processWrittenBytes", process.writtenBytes());
            map.put("processCpuSeconds", process.cpuSeconds());
            map.put("processJitCpuSeconds", process.jitCpuSeconds());
            map.put("benchmarkJvmCpuSeconds", benchmarkCpuSeconds);
            map.put("idleContendersCpuSeconds", idleCpuSeconds);
            return map;
        }
    }

    /** Milliseconds from a photo's rename into the inbox to its delivery to its last recipient. */
    record Latency(int photos, int rate, double p50, double p95, double p99, double max) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("photos", photos);
            map.put("ratePerSecond", rate);
            map.put("p50Ms", p50);
            map.put("p95Ms", p95);
            map.put("p99Ms", p99);
            map.put("maxMs", max);
            return map;
        }
    }

    static Throughput throughput(long[] renamedAt, Deliveries.Outcome outcome, long photoSize, ProcessStats.Sample used) {
        long first = Arrays.stream(renamedAt).min().orElseThrow();
        long last = outcome.deliveredAt().values().stream().mapToLong(Long::longValue).max().orElseThrow();
        double seconds = Units.seconds(last - first);
        int photos = renamedAt.length;
        long received = outcome.receipts().stream().mapToLong(r -> r.requestBytes() + r.fetchedBytes()).sum();
        return new Throughput(photos, seconds, photos / seconds, photos * photoSize, received, used.process(),
                used.benchmark().cpuSeconds(), used.idleCpuSeconds());
    }

    static Latency latency(List<Integer> ids, long[] renamedAt, Deliveries.Outcome outcome, int rate) {
        double[] millis = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            millis[i] = Units.millis(outcome.deliveredAt().get(ids.get(i)) - renamedAt[i]);
        }
        Arrays.sort(millis);
        return new Latency(millis.length, rate, percentile(millis, 50), percentile(millis, 95), percentile(millis, 99),
                millis[millis.length - 1]);
    }

    /** Nearest rank: the smallest value with at least {@code p}% of the values at or below it. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
