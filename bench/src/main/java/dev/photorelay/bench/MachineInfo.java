package dev.photorelay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine the figures come from: cores, memory, OS, the JDK both processes run on, date and load; and the
 * {@code JAVA_OPTS} that would replace the relay launcher's JVM settings.
 */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> collect() throws IOException, InterruptedException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        info.put("cores", Runtime.getRuntime().availableProcessors());
        info.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal:"));
        info.put("os", osRelease() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ")");
        info.put("javaVersion", javaVersion());
        info.put("loadAverageAtStart", loadAverage());
        String javaOpts = System.getenv("JAVA_OPTS");
        info.put("relayJvmSettings", javaOpts == null ? "shipped (JAVA_OPTS unset)" : "JAVA_OPTS=" + javaOpts);
        return info;
    }

    /** The 1, 5 and 15 minute load averages: other work on the machine makes the figures noisy. */
    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static String osRelease() throws IOException {
        String pretty = firstLine(Path.of("/etc/os-release"), "PRETTY_NAME=");
        return pretty.replace("\"", "");
    }

    private static String firstLine(Path file, String prefix) throws IOException {
        if (!Files.exists(file)) {
            return "unknown";
        }
        List<String> lines = Files.readAllLines(file);
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length()).trim())
                .findFirst().orElse("unknown");
    }

    /**
     * Microseconds of CPU to create an empty file in {@code folder} (200 of them, left for the caller to delete). Tens
     * on a healthy disk; hundreds on ext4 without a journal shortly after many files were deleted, which slows the
     * relay (a record per photo) and not the baseline.
     */
    static double fileCreationMicros(Path folder) throws IOException {
        Path probe = Files.createDirectory(folder.resolve("file-creation-probe"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 200; i++) {
            Files.createFile(probe.resolve("f" + i));
        }
        return (threads.getCurrentThreadCpuTime() - start) / 200 / 1000.0;
    }

    /** {@code java -version} of the JDK that runs the relay and the baseline (the benchmark's own). */
    private static String javaVersion() throws IOException, InterruptedException {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        java.waitFor();
        return output.replace('\n', ';').replace("\r", "");
    }
}
