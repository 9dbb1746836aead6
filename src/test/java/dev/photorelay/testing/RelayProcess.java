package dev.photorelay.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged relay ({@code target/quarkus-app/quarkus-run.jar}) running as a separate OS process, as an operator
 * runs it: {@code java -D... -jar quarkus-run.jar}. Unlike a {@code @QuarkusIntegrationTest}, a test can kill it
 * outright (SIGKILL, no shutdown hooks) and start it again on the same inbox.
 * <p>
 * Its stdout and stderr go to {@code <name>.log} in the folder it runs in; {@link #log()} returns them for failure
 * messages. A process still running when the test JVM exits is killed by a shutdown hook, so none is left behind.
 */
public final class RelayProcess implements AutoCloseable {

    /** Logged by {@code StartupSummary} once Camel has started the routes, the inbox consumer among them. */
    public static final String STARTED = "Watching inbox";
    /** Overrides where the jar is looked for, e.g. to run against a copy elsewhere. */
    public static final String JAR_PROPERTY = "photorelay.jar";
    private static final String JAR = "target/quarkus-app/quarkus-run.jar";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread killOnExit;

    private RelayProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.killOnExit = new Thread(process::destroyForcibly, "kill " + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts the relay in {@code folder} with {@code properties} as {@code -D} options and waits until it watches
     * its inbox. Fails with the relay's log if it exits or does not get there in time.
     */
    public static RelayProcess start(String name, Path folder, Map<String, String> properties) {
        RelayProcess relay = launch(name, folder, properties);
        try {
            relay.awaitStarted();
        } catch (RuntimeException | AssertionError e) {
            relay.close();
            throw e;
        }
        return relay;
    }

    /** Starts the relay without waiting for anything, e.g. to see it refuse to start. */
    public static RelayProcess launch(String name, Path folder, Map<String, String> properties) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // sorted, so that the command line in a log is easy to compare between runs
        new TreeMap<>(properties).forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar().toString());
        Path logFile = folder.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                // relative defaults (inbox, custom-routes) resolve in the test's folder, never in the project
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        // only the options given here: a RELAY_* variable of the developer's shell (a real token) must not leak in
        builder.environment().keySet().removeIf(variable -> variable.startsWith("RELAY_"));
        try {
            return new RelayProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    /**
     * The settings a test's relay starts from, to add its own to: its inbox and custom routes folder, loopback only
     * on a free port, and Telegram played by {@code telegramBaseUrl} with {@link TelegramWireMock#TOKEN}.
     */
    public static Map<String, String> settings(Path inbox, Path routes, String telegramBaseUrl) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("relay.inbox.dir", inbox.toString());
        settings.put("relay.routes.dir", routes.toString());
        settings.put("relay.telegram.base-uri", telegramBaseUrl);
        settings.put("relay.telegram.token", TelegramWireMock.TOKEN);
        settings.put("quarkus.http.host", "127.0.0.1");
        settings.put("quarkus.http.port", String.valueOf(freePort()));
        return settings;
    }

    /** A port nobody listens on right now, for {@code quarkus.http.port}. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The packaged jar: {@code -Dphotorelay.jar}, else {@code target/quarkus-app/quarkus-run.jar} of the project
     * these test classes were compiled in (found from {@code target/test-classes}, whatever the working folder).
     */
    public static Path jar() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(JAR_PROPERTY)).map(Path::of).ifPresent(candidates::add);
        projectDir().map(dir -> dir.resolve(JAR)).ifPresent(candidates::add);
        candidates.add(Path.of(JAR).toAbsolutePath());
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("The packaged relay is missing (looked for " + candidates + "). Build it "
                + "first: ./mvnw -B -o package -DskipTests (./mvnw verify builds it before the *IT tests run).");
    }

    /** The folder holding {@code target/test-classes}, if these classes were loaded from there. */
    private static Optional<Path> projectDir() {
        try {
            var source = RelayProcess.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path classes = Path.of(source.getLocation().toURI());
            Path target = classes.getParent();
            return target != null && target.getFileName().toString().equals("target")
                    ? Optional.ofNullable(target.getParent())
                    : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The java that runs this test, so the relay gets the same JDK. */
    private static String javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase().contains("win");
        Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private void awaitStarted() {
        try {
            await().atMost(STARTUP_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (log().contains(STARTED)) {
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before it started:\n"
                            + log());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not log '" + STARTED + "' within " + STARTUP_TIMEOUT + ":\n" + log(),
                    e);
        }
    }

    /** SIGKILL, as a crash or {@code kill -9}: no shutdown hook, no graceful stop. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(STOP_TIMEOUT);
    }

    /** A graceful stop (SIGTERM, Quarkus shuts Camel down); killed if it takes longer than 30 s. */
    public void stop() {
        process.destroy();
        if (!awaitExit(STOP_TIMEOUT)) {
            kill();
        }
    }

    /** Kills the relay if it still runs; for {@code finally} and {@code @AfterEach}. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to undo
        }
    }

    /** Waits for the relay to end on its own and returns its exit code; fails with its log if it keeps running. */
    public int awaitExitCode(Duration timeout) {
        if (!awaitExit(timeout)) {
            throw new AssertionError(name + " still runs after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The exit code once it ended; 137 (128 + 9) after a SIGKILL on Linux and macOS. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Everything the relay wrote to stdout and stderr so far. */
    public String log() {
        try {
            // not Files.readString: a line cut in the middle of a character must not make the whole log unreadable
            return Files.exists(logFile) ? new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of {@link #log()}, for failure messages that stay readable. */
    public String logTail(int lines) {
        List<String> all = log().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + logFile + ")";
    }
}
