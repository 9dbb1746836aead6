package dev.photorelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.photorelay.testing.RelayProcess;

/**
 * README's run command, {@code bin/photo-relay}: it starts the packaged relay with the small-box JVM settings and the
 * class archive the build trained, its arguments reach the JVM, and {@code JAVA_OPTS} replaces the settings.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin/photo-relay").toAbsolutePath();

    @TempDir
    Path folder;
    private int port;

    @Test
    void theLauncherStartsTheRelayWithTheSmallBoxSettingsAndPassesItsArgumentsToTheJvm() throws Exception {
        List<String> command = run(Map.of());

        assertThat(command).contains("-XX:+UseSerialGC", "-Xmx112m");
        assertThat(command.indexOf("-Dquarkus.http.port=" + port)).isLessThan(command.indexOf("-jar"));
    }

    @Test
    void javaOptsReplacesTheLaunchersSettings() throws Exception {
        List<String> command = run(Map.of("JAVA_OPTS", "-Xmx200m -XX:+UseParallelGC"));

        assertThat(command).contains("-Xmx200m", "-XX:+UseParallelGC").doesNotContain("-XX:+UseSerialGC", "-Xmx112m");
    }

    @Test
    void theRelayStartsWithTheClassArchiveThePackageBuildTrained() throws Exception {
        // -Xshare:on: the JVM refuses to start unless it maps the archive (same JDK, same jars)
        List<String> command = run(LAUNCHER, Map.of(), "-Xshare:on");

        assertThat(archiveOptions(command)).singleElement().asString()
                .contains(LAUNCHER.getParent().resolveSibling("target/quarkus-app/class-archive-").toString());
    }

    @Test
    void aMovedInstallationIsTrainedAgainAndAnArchiveOlderThanTheJarOrTurnedOffIsNotUsed() throws Exception {
        // an installation of its own, moved from where it was built (to a path with a space), so that its jar can be
        // rebuilt (here: touched)
        Path install = folder.resolve("my install");
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("target"));
        Path launcher = install.resolve("bin/photo-relay");
        assertThat(new ProcessBuilder("cp", "-a", LAUNCHER.toString(), launcher.toString()).start().waitFor()).isZero();
        assertThat(new ProcessBuilder("cp", "-a", LAUNCHER.getParent().resolveSibling("target/quarkus-app").toString(),
                install.resolve("target").toString()).start().waitFor()).isZero();
        assertThat(archiveOptions(run(launcher, Map.of()))).as("the build's archive names the jar where it was").isEmpty();
        // the training start takes none of the caller's settings: here a Kafka broker it must not join
        try (ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ProcessBuilder training = new ProcessBuilder(launcher.toString(), "--train-class-archive").inheritIO();
            training.environment().put("RELAY_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + broker.getLocalPort());
            assertThat(training.start().waitFor()).isZero();
            broker.setSoTimeout(1);
            assertThatThrownBy(broker::accept).as("a connection from the training start")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(archiveOptions(run(launcher, Map.of(), "-Xshare:on"))).hasSize(1);

        assertThat(archiveOptions(run(launcher, Map.of("PHOTO_RELAY_CLASS_ARCHIVE", "off")))).isEmpty();
        Path jar = install.resolve("target/quarkus-app/quarkus-run.jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(archiveOptions(run(launcher, Map.of()))).isEmpty();
        assertThat(log()).doesNotContain("shared archive");
    }

    private static List<String> archiveOptions(List<String> command) {
        return command.stream()
                .filter(option -> option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-XX:AOTCache="))
                .toList();
    }

    /** Starts the relay through the launcher, waits until it is ready, and answers the JVM's command line. */
    private List<String> run(Map<String, String> environment) throws Exception {
        return run(LAUNCHER, environment);
    }

    private List<String> run(Path launcher, Map<String, String> environment, String... options) throws Exception {
        port = RelayProcess.freePort();
        List<String> arguments = new ArrayList<>(List.of(launcher.toString()));
        arguments.addAll(List.of(options));
        arguments.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Drelay.inbox.dir=" + folder.resolve("inbox")));
        ProcessBuilder builder = new ProcessBuilder(arguments)
                .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("relay.log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("RELAY_") || name.equals("JAVA_OPTS")
                || name.equals("PHOTO_RELAY_CLASS_ARCHIVE"));
        builder.environment().putAll(environment);
        Process relay = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                assertThat(relay.isAlive()).as("the relay runs: %s", log()).isTrue();
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
            // the launcher execs java: the process it started is the JVM itself
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(relay.pid()), "cmdline"));
            return new ArrayList<>(List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0")));
        } finally {
            relay.destroy();
            relay.waitFor();
        }
    }

    private String log() throws IOException {
        return Files.readString(folder.resolve("relay.log"));
    }
}
