package dev.photorelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fresh inbox in a temporary folder, the HTTP port the media host answers on (so its public URL is known), the
 * aliases the tests use, and a folder of user routes holding one route of the kind a user would add.
 */
public class TempInbox implements QuarkusTestResourceLifecycleManager {

    public static final String EVERYONE = "everyone";
    public static final String EVERYONE_TELEGRAM = "-100200300";
    public static final String EVERYONE_ZAPI = "5511999990000";
    public static final String EVERYONE_SONORAN = "STEAM:1000";
    /** An alias of its own for the album tests. */
    public static final String ALBUM_TRIO = "album-trio";
    public static final String API_TOKEN = "test-api-token-SECRET";
    /** An alias of its own for the API tests, so that their sends do not mix with the inbox tests' {@link #EVERYONE}. */
    public static final String API_TRIO = "api-trio";

    private static int sharedPort;

    private Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("photo-relay-test");
            Path routes = Files.createDirectories(root.resolve("custom-routes"));
            Files.writeString(routes.resolve("camera.camel.yaml"), """
                    # a user's own route, loaded from relay.routes.dir without a rebuild
                    - route:
                        id: camera
                        from:
                          uri: direct:camera
                          steps:
                            - setHeader:
                                name: PhotoTarget
                                constant: telegram
                            - setHeader:
                                name: PhotoRecipient
                                constant: "@camera_feed"
                            - to: direct:send-photo
                    """);
            int port = httpPort();
            Map<String, String> config = new HashMap<>();
            config.put("relay.inbox.dir", root.resolve("inbox").toString());
            config.put("relay.routes.dir", routes.toString());
            config.put("relay.inbox.stable-for", "300ms");
            // a file left unfinished is filed as truncated after a few seconds here, not ten minutes
            config.put("relay.inbox.incomplete-after", "4s");
            config.put("relay.http.timeout", "2s");
            // retries as in production, only quicker: three tries, 100 ms then 200 ms apart (with jitter)
            config.put("relay.retry.max-attempts", "3");
            config.put("relay.retry.initial-delay", "100ms");
            config.put("relay.retry.max-delay", "1s");
            config.put("relay.retry.max-wait", "10s");
            // below Telegram's 30/s, so that a test can see the overall pace hold; per-chat and group paces as shipped
            config.put("relay.telegram.pacing.overall", "10/s");
            config.put("quarkus.http.test-port", String.valueOf(port));
            config.put("relay.media.public-base-url", "http://localhost:" + port);
            config.put("relay.api.token", API_TOKEN);
            config.put("relay.destinations." + API_TRIO, "telegram:80011,zapi:5511980000011,sonoran:STEAM:80011");
            config.put("relay.api.max-body", "2M");
            config.put("relay.api.read-timeout", "2s");
            config.put("relay.destinations." + ALBUM_TRIO, "telegram:70070,zapi:5511970000070,sonoran:STEAM:7070");
            config.put("relay.destinations." + EVERYONE, "telegram:" + EVERYONE_TELEGRAM + ",zapi:" + EVERYONE_ZAPI
                    + ",sonoran:" + EVERYONE_SONORAN);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One port for the whole test run. Quarkus may start the resources again (a new relay) in the same JVM, and it
     * keeps launching the packaged relay on the port it first read: a second, different port would leave the media
     * host's public URL pointing where nothing listens.
     */
    private static synchronized int httpPort() {
        if (sharedPort == 0) {
            try (ServerSocket socket = new ServerSocket(0)) {
                sharedPort = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sharedPort;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new Inbox(root.resolve("inbox")),
                new TestInjector.AnnotatedAndMatchesType(InjectInbox.class, Inbox.class));
    }

    @Override
    public void stop() {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    /** Injects the test {@link Inbox} into a test field. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface InjectInbox {
    }
}
