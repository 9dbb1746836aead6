package dev.photorelay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The relay or the baseline as a separate OS process: {@code java -D<key>=<value>... <main>} (the relay through its
 * launcher script, with the JVM settings it ships), started in its own folder. Ready is the line {@code Watching inbox} (logged by both once they watch their inbox); startup time is
 * from just before the process is spawned to when that line is read from its output. Its output goes to
 * {@code <name>.log} in its folder.
 */
final class ServiceProcess implements AutoCloseable {

    static final String READY = "Watching inbox";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final long spawnedAt;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;
    private volatile long readyAt;
    private volatile boolean stopping;

    private ServiceProcess(String name, Process process, long spawnedAt, Path log) {
        this.name = name;
        this.process = process;
        this.spawnedAt = spawnedAt;
        this.reader = new Thread(() -> copyOutput(log), name + " output");
        reader.setDaemon(true);
        reader.start();
    }

    /** This JVM's {@code java}: how the baselines are started. */
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /**
     * Starts {@code <launcher> <jvmOptions> -D<properties> <mainArgs>} in {@code folder} and waits until it is ready.
     *
     * @param launcher {@link #JAVA}, or a script that passes its arguments to {@code java} as options (the relay's
     *                 {@code bin/photo-relay}, which adds its own settings and {@code -jar})
     */
    static ServiceProcess start(String name, Path folder, Path launcher, List<String> jvmOptions,
            Map<String, String> properties, List<String> mainArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(mainArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        // only the settings given here: a RELAY_* variable of the caller's shell (a real token) must not leak in
        builder.environment().keySet().removeIf(variable -> variable.startsWith("RELAY_"));
        long spawnedAt = System.nanoTime();
        ServiceProcess service = new ServiceProcess(name, builder.start(), spawnedAt, folder.resolve(name + ".log"));
        service.awaitReady();
        return service;
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (ready.getCount() > 0 && line.contains(READY)) {
                    readyAt = System.nanoTime();
                    ready.countDown();
                }
                out.println(line);
                out.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // Process.destroy() closes the pipe under the reader: the process is being stopped, its last words do not matter
            if (!stopping) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + (process.isAlive() ? " did not log '" + READY + "' within "
                        + STARTUP_TIMEOUT.toSeconds() + " s" : " exited with " + process.exitValue()) + ":\n" + tail());
            }
        }
    }

    double startupSeconds() {
        return Units.seconds(readyAt - spawnedAt);
    }

    long pid() {
        return process.pid();
    }

    /** The last lines of its output, for error messages. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s; returns once its log is complete. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
