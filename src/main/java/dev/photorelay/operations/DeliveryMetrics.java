package dev.photorelay.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.Exchange;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.AlbumDelivery;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.RetryPolicy;
import dev.photorelay.inbox.InboxNames;
import dev.photorelay.media.Photo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the relay did, for operators: one log line per delivery outcome, and the counts at {@code /q/metrics}
 * (photos delivered and failed by target and code, delivery time by target, retries, photo bytes sent, photos
 * waiting in the inbox).
 */
@Singleton
@Named("deliveryMetrics")
@RegisterForReflection
public class DeliveryMetrics {

    private static final Logger LOG = Logger.getLogger(DeliveryMetrics.class);

    private final MeterRegistry registry;
    private final Map<List<String>, Meter> meters = new ConcurrentHashMap<>();
    private final Path inbox;

    public DeliveryMetrics(MeterRegistry registry, RelayConfig config) {
        this.registry = registry;
        this.inbox = Path.of(config.inbox().dir());
        Gauge.builder("relay.inbox.waiting", this, DeliveryMetrics::photosInInbox)
                .description("Photos in the inbox, not yet filed in .sent/ or .failed/").register(registry);
    }

    /** Last step of a recipient's delivery: its log line and its counts. */
    public void record(Exchange exchange) {
        Outcome outcome = exchange.getMessage().getBody(Outcome.class);
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        String photo = name(exchange, request);
        String to = outcome.target() + ":" + outcome.recipient();
        long millis = exchange.getClock().elapsed();
        // log lines are concatenated, not formatted: a format string costs as much as the rest of the line
        if (outcome.alreadySent() != null) {
            LOG.info("Already delivered " + photo + " to " + to + " before: not sent again");
            return;
        }
        if (outcome.handedOver()) {
            LOG.info("Left " + photo + " for " + to + " to the relay of the group its Kafka partition went to");
            return;
        }
        int attempts = exchange.getProperty(RetryPolicy.ATTEMPTS, 0, Integer.class);
        String target = outcome.target();
        if (outcome.delivered()) {
            // an album counts its photos
            counter("relay.photos.delivered", "Photos delivered, per recipient", "target", target)
                    .increment(outcome.photos() != null ? outcome.photos().size() : 1);
            meter("relay.delivery", new String[] { "target", target }, tags -> Timer.builder("relay.delivery")
                    .description("From a photo's fan-out to its delivery to one recipient").tags(tags)
                    .publishPercentileHistogram().register(registry)).record(Duration.ofMillis(millis));
            LOG.info("Delivered " + photo + " to " + to + " in " + millis + " ms, " + attempts + " attempt(s)"
                    + (outcome.messageId() == null ? "" : ", message id " + outcome.messageId()));
        } else {
            counter("relay.photos.failed", "Photos not delivered, per recipient", "target", target, "code",
                    outcome.code().name()).increment();
            LOG.warn("Failed " + photo + " for " + to + ": " + outcome.code() + " after " + attempts + " attempt(s), "
                    + millis + " ms" + (outcome.platformError() == null ? "" : ": " + outcome.platformError()));
        }
        // an album makes several calls: only a call made again is a retry
        int retries = attempts - AlbumDelivery.of(exchange).callsMade(attempts);
        if (retries > 0) {
            counter("relay.retries", "Attempts after the first", "target", target).increment(retries);
        }
        long bytes = request.photos().stream().mapToLong(p -> p instanceof Photo.Content content ? content.size() : 0)
                .sum();
        if (bytes > 0 && attempts > 0) {
            // an album's calls each carry some of its photos: its bytes are counted once, not per call
            counter("relay.bytes.sent", "Photo bytes handed to the platform, every attempt", "target", target)
                    .increment((double) bytes * (request.album() ? 1 : attempts));
        }
    }

    /** A photo refused before it reached any recipient (bad file, sidecar, destination). */
    public void rejected(ErrorCode code) {
        counter("relay.photos.rejected", "Photos refused before reaching any recipient", "code", code.name())
                .increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return meter(name, tags, t -> Counter.builder(name).description(description).tags(t).register(registry));
    }

    /** A meter looked up by its name and tags once: the registry's own lookup costs more than counting. */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(String name, String[] tags, Function<String[], M> registered) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(List.of(tags));
        return (M) meters.computeIfAbsent(key, k -> registered.apply(tags));
    }

    private static String name(Exchange exchange, PhotoRequest request) {
        PhotoKey key = exchange.getProperty(DeliveryJournal.KEY, PhotoKey.class);
        if (key != null) {
            return Printable.of(key.photo());
        }
        if (request.album()) {
            return "an album of " + request.photos().size() + " photos";
        }
        return request.photos().get(0) instanceof Photo.Content content ? Printable.of(content.fileName())
                : "a photo by URL or file_id";
    }

    private double photosInInbox() {
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        long[] photos = { 0 };
        try {
            Files.walkFileTree(inbox, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    // .sent, .failed, .media: not waiting
                    return dir.equals(inbox) || !dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && InboxNames.isPhoto(file.getFileName().toString())) {
                        photos[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return photos[0];
    }
}
