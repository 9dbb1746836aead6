package dev.photorelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What Linux and the JVM say about a running process: /proc/&lt;pid&gt;/{status,io,stat} and {@code jcmd}. */
final class ProcessStats {

    /** Jiffies per second of /proc/&lt;pid&gt;/stat's CPU times: 100 on every usual Linux build. */
    private static final double CLOCK_TICKS = 100.0;
    /**
     * The heap's "used" figure: one line for G1 ({@code garbage-first heap total 258048K, used 21013K}), one per
     * generation for the serial collector ({@code def new generation ...} and {@code tenured generation ...}).
     */
    private static final Pattern HEAP_USED = Pattern.compile("(?:heap|generation)\\s+total \\d+K, used (\\d+)K");

    private ProcessStats() {
    }

    /**
     * Bytes read and written by the process's system calls (sockets included), its CPU time so far, and the part of
     * it its JIT compiler threads spent (a JVM still compiling is not warm yet).
     */
    record Counters(long readBytes, long writtenBytes, double cpuSeconds, double jitCpuSeconds) {
        Counters since(Counters before) {
            return new Counters(readBytes - before.readBytes, writtenBytes - before.writtenBytes,
                    cpuSeconds - before.cpuSeconds, jitCpuSeconds - before.jitCpuSeconds);
        }

        Counters plus(Counters other) {
            return new Counters(readBytes + other.readBytes, writtenBytes + other.writtenBytes,
                    cpuSeconds + other.cpuSeconds, jitCpuSeconds + other.jitCpuSeconds);
        }
    }

    /**
     * The counters of the process under test (or of the processes, summed) and of the benchmark's own JVM, which shares
     * the machine with it (the fake platforms and the dropper or Kafka producer): together they show how busy the cores
     * were. And the CPU time of the processes
     * idling beside the one under test (the other contenders), which should take next to none.
     */
    record Sample(Counters process, Counters benchmark, double idleCpuSeconds) {

        static Sample of(long pid, List<Long> idle) throws IOException {
            return of(List.of(pid), idle);
        }

        /** {@code pids}: the processes under test together (the relays of one Kafka group). */
        static Sample of(List<Long> pids, List<Long> idle) throws IOException {
            Counters process = new Counters(0, 0, 0, 0);
            for (long pid : pids) {
                process = process.plus(counters(pid));
            }
            return new Sample(process, counters(ProcessHandle.current().pid()), cpuSeconds(idle));
        }

        Sample since(Sample before) {
            return new Sample(process.since(before.process), benchmark.since(before.benchmark),
                    idleCpuSeconds - before.idleCpuSeconds);
        }
    }

    static Counters counters(long pid) throws IOException {
        List<String> io = Files.readAllLines(proc(pid, "io"));
        double jit = 0;
        try (Stream<Path> threads = Files.list(proc(pid, "task"))) {
            for (Path thread : threads.toList()) {
                String stat = readIfStillThere(thread.resolve("stat"));
                if (stat.contains("(C1 CompilerThre") || stat.contains("(C2 CompilerThre")) {
                    jit += cpuSeconds(stat);
                }
            }
        }
        return new Counters(field(io, "rchar:"), field(io, "wchar:"), cpuSeconds(Files.readString(proc(pid, "stat"))),
                jit);
    }

    /** The CPU time (user + system) of these processes together so far, in seconds, to a clock tick. */
    static double cpuSeconds(List<Long> pids) throws IOException {
        double seconds = 0;
        for (long pid : pids) {
            seconds += cpuSeconds(Files.readString(proc(pid, "stat")));
        }
        return seconds;
    }

    /** User plus system time of a /proc stat line: fields 14 and 15 (the command in parentheses may hold spaces). */
    private static double cpuSeconds(String stat) {
        if (stat.isEmpty()) {
            return 0;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
    }

    /** A thread's stat, or nothing if the thread ended meanwhile (the JVM stops idle compiler threads). */
    private static String readIfStillThere(Path stat) throws IOException {
        try {
            return Files.readString(stat);
        } catch (NoSuchFileException ended) {
            return "";
        }
    }

    /** The peak resident set size (VmHWM), in bytes. */
    static long peakRss(long pid) throws IOException {
        return field(Files.readAllLines(proc(pid, "status")), "VmHWM:") * 1024;
    }

    /** Heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), in bytes. */
    static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        long kilobytes = 0;
        boolean found = false;
        while (used.find()) {
            kilobytes += Long.parseLong(used.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("no heap figure in jcmd GC.heap_info: " + info);
        }
        return kilobytes * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
        }
        return output;
    }

    private static Path proc(long pid, String file) {
        return Path.of("/proc", Long.toString(pid), file);
    }

    /** The number after {@code name} on its line, e.g. {@code VmHWM:   123456 kB}. */
    private static long field(List<String> lines, String name) throws IOException {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + name + " in /proc");
    }
}
