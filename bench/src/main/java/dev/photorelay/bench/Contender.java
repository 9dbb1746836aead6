package dev.photorelay.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.photorelay.simulator.PlatformCredentials;

/**
 * The processes compared, started alike with the same settings: the packaged relay, the minimal baseline, and the
 * durable baseline (the baseline doing the relay's durable work too: checksum, journal forced to disk, records).
 */
enum Contender {

    RELAY, BASELINE, DURABLE_BASELINE;

    /** The relay's launcher, which runs {@code target/quarkus-app/quarkus-run.jar} with the JVM settings it ships. */
    static final Path RELAY_LAUNCHER = Path.of("bin/photo-relay").toAbsolutePath();
    /** Where the build puts the relay's jar, and the class archive the launcher maps. */
    static final Path RELAY_APP = Path.of("target/quarkus-app").toAbsolutePath();
    private static final Path BENCH_CLASSES = Path.of("bench/target/classes").toAbsolutePath();
    /**
     * The profile settings, with waits on locks, disk syncs, file and socket I/O recorded from 1 ms (0 ms for syncs)
     * instead of 10-20 ms: with a few ms per photo, the short waits are where the time goes.
     */
    private static final String JFR = "-XX:StartFlightRecording=settings=profile,jdk.JavaMonitorEnter#threshold=1ms,"
            + "jdk.FileForce#threshold=0ms,jdk.FileRead#threshold=1ms,jdk.FileWrite#threshold=1ms,"
            + "jdk.SocketRead#threshold=1ms,jdk.SocketWrite#threshold=1ms,jdk.ThreadPark#threshold=1ms,filename=";
    private static final List<String> PACING_KEYS = List.of("relay.telegram.pacing.overall",
            "relay.telegram.pacing.per-recipient", "relay.telegram.pacing.per-group", "relay.zapi.pacing.overall",
            "relay.zapi.pacing.per-recipient", "relay.sonoran.pacing.overall", "relay.sonoran.pacing.per-recipient");

    String label() {
        return name().toLowerCase().replace('_', '-');
    }

    /**
     * Starts it in {@code workspace} against {@code fake}, and waits until it is ready (the relay: also answering 200
     * at {@code /q/health/ready}). With {@code paced} false the relay's pacing is off (throughput and latency runs);
     * {@code jfrFile}, if not null, records the relay with JFR; with {@code classArchive} false the relay starts
     * without the class archive its launcher maps ({@code PHOTO_RELAY_CLASS_ARCHIVE=off}); {@code more}: settings of
     * the run's own on top of the usual ones (the Kafka run's {@code relay.kafka.*}), usually none.
     */
    ServiceProcess start(String name, Workspace workspace, FakePlatform fake, int concurrency, boolean paced,
            Destinations destinations, Options options, Path jfrFile, boolean classArchive, Map<String, String> more)
            throws IOException, InterruptedException {
        Map<String, String> settings = settings(workspace, fake, concurrency, paced, destinations, options);
        settings.putAll(more);
        Map<String, String> environment = classArchive ? Map.of() : Map.of("PHOTO_RELAY_CLASS_ARCHIVE", "off");
        return switch (this) {
            // as README starts it: through bin/photo-relay, with the JVM settings it ships (heap bound, collector)
            case RELAY -> ServiceProcess.start(name, workspace.root(), RELAY_LAUNCHER,
                    jfrFile == null ? List.of() : List.of(JFR + jfrFile), settings, List.of(), environment,
                    URI.create("http://127.0.0.1:" + settings.get("quarkus.http.port") + "/q/health/ready"));
            case BASELINE, DURABLE_BASELINE -> ServiceProcess.start(name, workspace.root(), ServiceProcess.JAVA,
                    List.of("-Dbaseline.durable=" + (this == DURABLE_BASELINE)), settings,
                    List.of("-cp", BENCH_CLASSES.toString(), Baseline.class.getName()), environment, null);
        };
    }

    private static Map<String, String> settings(Workspace workspace, FakePlatform fake, int concurrency, boolean paced,
            Destinations destinations, Options options) throws IOException {
        int port = freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.http.port", Integer.toString(port));
        settings.put("relay.inbox.dir", workspace.inbox().toString());
        settings.put("relay.routes.dir", workspace.routes().toString());
        settings.put("relay.media.public-base-url", "http://127.0.0.1:" + port);
        settings.put("relay.telegram.base-uri", fake.baseUrl());
        settings.put("relay.zapi.base-uri", fake.baseUrl());
        settings.put("relay.sonoran.base-uri", fake.baseUrl());
        PlatformCredentials credentials = FakePlatform.CREDENTIALS;
        settings.put("relay.telegram.token", credentials.telegramToken());
        settings.put("relay.zapi.instance", credentials.zapiInstance());
        settings.put("relay.zapi.token", credentials.zapiToken());
        settings.put("relay.zapi.client-token", credentials.zapiClientToken());
        settings.put("relay.sonoran.community-id", credentials.sonoranCommunityId());
        settings.put("relay.sonoran.api-key", credentials.sonoranApiKey());
        settings.put("relay.concurrency", Integer.toString(concurrency));
        if (options.stableFor != null) {
            settings.put("relay.inbox.stable-for", options.stableFor);
        }
        if (options.poll != null) {
            settings.put("relay.inbox.poll-interval", options.poll);
        }
        if (!paced) {
            PACING_KEYS.forEach(key -> settings.put(key, "none"));
        }
        settings.putAll(destinations.settings());
        return settings;
    }

    /** A TCP port nothing listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
