package dev.photorelay.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The relay or a baseline as a separate OS process, started in its own folder (the relay through its launcher
 * script, with the JVM settings it ships). Ready is the line {@code Watching inbox} (logged by the relay and the
 * baselines once they watch their inbox) and, for a process given a health URL (the relay's {@code /q/health/ready}),
 * that URL answering 200, polled every {@link #READY_POLL} once the line is seen. Startup time is from just before the
 * process is spawned to when it is ready, in seconds. Its output goes to {@code <name>.log} in its folder.
 */
final class ServiceProcess implements AutoCloseable {

    static final String READY = "Watching inbox";
    private static final Duration READY_POLL = Duration.ofMillis(10);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HEALTH = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final long spawnedAt;
    private final CountDownLatch logged = new CountDownLatch(1);
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;
    private volatile long loggedAt;
    private long readyAt;
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
     * @param environment set for the process, over the caller's environment without its {@code RELAY_*} and
     *                    {@code PHOTO_RELAY_*} variables (a real token or launcher setting of the caller's shell must
     *                    not leak in)
     * @param health the URL that must answer 200 too, or null
     */
    static ServiceProcess start(String name, Path folder, Path launcher, List<String> jvmOptions,
            Map<String, String> properties, List<String> mainArgs, Map<String, String> environment, URI health)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(mainArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("RELAY_")
                || variable.startsWith("PHOTO_RELAY_"));
        builder.environment().putAll(environment);
        long spawnedAt = System.nanoTime();
        ServiceProcess service = new ServiceProcess(name, builder.start(), spawnedAt, folder.resolve(name + ".log"));
        service.awaitReady(health);
        return service;
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (logged.getCount() > 0 && line.contains(READY)) {
                    loggedAt = System.nanoTime();
                    logged.countDown();
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

    private void awaitReady(URI health) throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!logged.await(READY_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            stillStarting(deadline, "did not log '" + READY + "'");
        }
        readyAt = loggedAt;
        if (health != null) {
            while (!answersOk(health)) {
                stillStarting(deadline, "did not answer 200 at " + health);
                Thread.sleep(READY_POLL.toMillis());
            }
            readyAt = System.nanoTime();
        }
    }

    /** Stops the process and says why if it exited, or is not ready by the deadline. */
    private void stillStarting(long deadline, String notReady) throws InterruptedException {
        if (!process.isAlive() || System.nanoTime() > deadline) {
            close();
            throw new IllegalStateException(name + (process.isAlive() ? " " + notReady + " within "
                    + STARTUP_TIMEOUT.toSeconds() + " s" : " exited with " + process.exitValue()) + ":\n" + tail());
        }
    }

    /** Whether {@code uri} answers 200; not while the process does not listen yet. */
    private static boolean answersOk(URI uri) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build();
            return HEALTH.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
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
