package dev.photorelay.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.photorelay.Folders;
import dev.photorelay.HostFault;
import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.PhotoDeliveryException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Publishes photos at {@code <relay.media.public-base-url>/media/<token>} for platforms that fetch a URL
 * (Sonoran). A token is 192 random bits plus the publish time, and the only name a stored photo has: there is no listing, and a
 * request can reach nothing but a token-named file in the store. Photos expire after {@code relay.media.ttl}.
 */
@Singleton
@Named("mediaHost")
@RegisterForReflection
public class MediaHost {

    private static final Logger LOG = Logger.getLogger(MediaHost.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String TEMP_SUFFIX = ".tmp";

    private final SecureRandom random = new SecureRandom();
    private final RelayConfig config;
    private final Path store;
    private final Optional<String> publicBase;
    private final Set<String> strangersSeen = ConcurrentHashMap.newKeySet();

    public MediaHost(RelayConfig config) {
        this.config = config;
        this.store = Path.of(config.media().dir());
        this.publicBase = config.media().publicBaseUrl().map(MediaHost::withoutTrailingSlashes);
    }

    public String publish(Photo.Content photo) throws PhotoDeliveryException, IOException {
        String base = publicBase.orElseThrow(() -> new PhotoDeliveryException(ErrorCode.NOT_CONFIGURED,
                "relay.media.public-base-url is not set, so photos cannot be published for a platform to fetch"));
        String token = newToken();
        HostFault.writing(store, () -> {
            Folders.ensure(store);
            if (photo.file() == null || !linked(photo.file(), store.resolve(token))) {
                copy(photo, token);
            }
            return null;
        });
        return base + "/media/" + token;
    }

    /** Written under a temporary name, so a half-copied photo is never served. */
    private void copy(Photo.Content photo, String token) throws IOException {
        Path temp = store.resolve(token + TEMP_SUFFIX);
        try (InputStream in = photo.open()) {
            try {
                Files.copy(in, temp);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
        Files.move(temp, store.resolve(token), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String withoutTrailingSlashes(String url) {
        int end = url.length();
        while (end > 0 && url.charAt(end - 1) == '/') {
            end--;
        }
        return url.substring(0, end);
    }

    /**
     * A photo file on the same disk is published as a second name for it (a hard link): nothing is copied, and it
     * stays reachable after the inbox files the photo away. Else it is copied.
     */
    private static boolean linked(Path file, Path published) {
        try {
            Files.createLink(published, file);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Serves {@code GET} and {@code HEAD /media/<token>} on the HTTP port straight from Vert.x, not through a Camel
     * route: {@code sendFile} hands the photo to the kernel (zero-copy), where a Camel body would be copied through
     * the heap in chunks, which for 8 MB photos fetched at once costs a lot of memory.
     */
    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, "/media/:token").handler(this::serve);
        router.route(HttpMethod.HEAD, "/media/:token").handler(this::serve);
    }

    /** The photo with its real type, or 404. */
    void serve(RoutingContext request) {
        HttpServerResponse response = request.response();
        String token = request.pathParam("token");
        Path photo = token != null && TOKEN.matcher(token).matches() ? store.resolve(token) : null;
        try {
            if (photo == null || !Files.isRegularFile(photo, LinkOption.NOFOLLOW_LINKS)
                    || isExpired(photo).orElse(true)) {
                response.setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found");
                return;
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(photo)) {
                head = in.readNBytes(MediaType.SIGNATURE_LENGTH);
            }
            MediaType type = MediaType.sniff(head, head.length).orElse(null);
            response.putHeader("Content-Type", type != null ? type.mime() : "application/octet-stream")
                    .putHeader("X-Content-Type-Options", "nosniff");
            if (request.request().method() == HttpMethod.HEAD) {
                response.putHeader("Content-Length", String.valueOf(Files.size(photo))).end();
            } else {
                response.sendFile(photo.toString());
            }
        } catch (IOException e) {
            // deleted by the expiry sweep meanwhile
            response.setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not Found");
        }
    }

    /**
     * Deletes photos past their time to live (and copies left half-written by a crash). A name that is neither a token
     * nor a copy being written, or a token whose time cannot be, is passed over with one warning; the rest expire.
     */
    public void deleteExpired() {
        if (!Files.isDirectory(store)) {
            return;
        }
        try (Stream<Path> files = Files.list(store)) {
            files.filter(photo -> isExpired(photo).orElseGet(() -> {
                String name = photo.getFileName().toString();
                if (strangersSeen.add(name)) {
                    LOG.warnf("Leaving %s in the media store %s alone: not a name the relay gives", Printable.of(name),
                            store);
                }
                return false;
            })).forEach(this::delete);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Could not sweep the media store %s: %s", store, Printable.of(e.getMessage()));
        }
    }

    /** Whether a stored photo has expired; empty for a name the relay does not give. */
    private Optional<Boolean> isExpired(Path photo) {
        String name = photo.getFileName().toString();
        Instant published;
        if (TOKEN.matcher(name).matches()) {
            long seconds = ByteBuffer.wrap(Base64.getUrlDecoder().decode(name)).getLong();
            if (seconds < 0 || seconds > Instant.now().getEpochSecond() + 60) {
                return Optional.empty(); // not a time the relay wrote
            }
            published = Instant.ofEpochSecond(seconds);
        } else if (name.endsWith(TEMP_SUFFIX)) {
            // a copy being written, or one a crash cut short
            try {
                published = Files.getLastModifiedTime(photo).toInstant();
            } catch (IOException e) {
                return Optional.of(false);
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(published.plus(config.media().ttl()).isBefore(Instant.now()));
    }

    private void delete(Path photo) {
        try {
            Files.deleteIfExists(photo);
        } catch (IOException e) {
            if (strangersSeen.add(photo.getFileName().toString())) {
                LOG.warnf("Could not delete expired photo %s: %s", Printable.of(photo.getFileName().toString()),
                        Printable.of(e.getMessage()));
            }
        }
    }

    /** 256 bits: the publish time (8 bytes, so that a linked photo's own file time does not count) and 192 random. */
    private String newToken() {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        ByteBuffer.wrap(bits).putLong(Instant.now().getEpochSecond());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
