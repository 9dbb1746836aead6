package dev.photorelay.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.telegram.TelegramOrigin;
import dev.photorelay.delivery.DeliveryJournal;
import dev.photorelay.delivery.ErrorCode;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.PhotoKey;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.media.Photo;
import dev.photorelay.media.Sha256;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Publishes one record per recipient of every photo, from every input, on {@code relay.kafka.outcomes-topic} (when
 * Kafka is configured): key {@code target:recipient}, value JSON {@code {requestId, source, file, sha256, outcome}},
 * {@code source} one of {@code inbox}, {@code api}, {@code direct}, {@code kafka}; {@code outcome} as in a record.
 * <p>
 * Never holds up or fails a delivery: outcomes are queued (at most {@code relay.kafka.outcomes-buffer}, the oldest
 * dropped first when full, with a WARN) and one thread publishes them in batches; while the broker is away it tries
 * again every few seconds, so what was queued is published once it is back. Published at least once: a batch cut off
 * by the broker's loss may be published again in full. Outcomes still queued when the relay stops are lost (logged).
 */
@Singleton
@Named("outcomePublisher")
@RegisterForReflection
public class OutcomePublisher {

    /** Exchange property an input sets to say where a photo came from ({@code api}); none: {@code direct}. */
    public static final String SOURCE = "photoSource";
    private static final Pattern API_SPOOLED = Pattern.compile("(?:.*/)?api-([0-9a-f-]{8,64})(?:\\.[a-z]+)?");
    private static final int BATCH = 500;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);

    private final boolean enabled;
    private final String endpoint;
    private final int capacity;
    private final Path inbox;
    private final ObjectMapper json;
    private final ProducerTemplate producer;
    private final ArrayDeque<Map.Entry<String, String>> queue = new ArrayDeque<>();
    private long dropped;
    private Thread publisher;
    private final CamelContext camel;
    /** How long a stopping relay waits for its queued outcomes to be published. */
    private static final Duration DRAIN = Duration.ofSeconds(10);

    public OutcomePublisher(RelayConfig config, ObjectMapper json, ProducerTemplate producer, CamelContext camel) {
        this.camel = camel;
        this.enabled = config.kafka().bootstrapServers().filter(servers -> !servers.isBlank()).isPresent();
        // short waits: the publisher learns fast that the broker is away, and tries again itself
        this.endpoint = "kafka:" + config.kafka().outcomesTopic() + "?maxBlockMs=5000&deliveryTimeoutMs=10000"
                + "&requestTimeoutMs=5000&lingerMs=5";
        this.capacity = config.kafka().outcomesBuffer();
        this.inbox = Path.of(config.inbox().dir());
        this.json = json;
        this.producer = producer;
    }

    void start(@Observes StartupEvent started) {
        if (enabled) {
            publisher = new Thread(this::publishAll, "outcome-publisher");
            publisher.setDaemon(true);
            publisher.start();
            // stopped with Camel's services, after its routes: deliveries finishing in the graceful stop queue theirs
            try {
                camel.addService(new ServiceSupport() {
                    @Override
                    protected void doStop() throws InterruptedException {
                        drain();
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException("the outcome publisher cannot join Camel's services", e);
            }
        }
    }

    /** Gives the queued outcomes up to {@link #DRAIN} to be published, then stops; says how many are lost. */
    private void drain() throws InterruptedException {
        long giveUp = System.nanoTime() + DRAIN.toNanos();
        while (queueSize() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        publisher.interrupt();
        int lost = queueSize();
        if (lost > 0) {
            LOG.warn("Kafka: " + lost + " outcome(s) not published before the stop are lost");
        }
    }

    /** Step at the end of each recipient's delivery (route {@code deliver}): queues its outcome. */
    public void publish(Exchange exchange) {
        if (!enabled) {
            return;
        }
        Outcome outcome = exchange.getMessage().getBody(Outcome.class);
        if (outcome.handedOver()) {
            return; // the relay that took the partition publishes it
        }
        PhotoRequest request = exchange.getProperty(PhotoRequest.PROPERTY, PhotoRequest.class);
        PhotoKey key = exchange.getProperty(DeliveryJournal.KEY, PhotoKey.class);
        Map<String, Object> value = new LinkedHashMap<>();
        String kafkaId = exchange.getProperty(KafkaRequests.REQUEST_ID, String.class);
        Optional<TelegramOrigin> telegram = key == null ? Optional.empty() : TelegramOrigin.of(inbox, key.photo(), json);
        if (kafkaId != null) {
            value.put("requestId", kafkaId);
            value.put("source", "kafka");
        } else if (telegram.isPresent()) {
            TelegramOrigin origin = telegram.get();
            value.put("requestId", origin.id());
            value.put("source", "telegram");
            value.put("file", key.photo());
            value.put("telegram", origin);
        } else if (key != null) {
            Matcher spooled = API_SPOOLED.matcher(key.photo());
            boolean api = spooled.matches()
                    && Files.exists(inbox.resolve(".api").resolve(spooled.group(1)), LinkOption.NOFOLLOW_LINKS);
            value.put("requestId", api ? spooled.group(1) : key.photo());
            value.put("source", api ? "api" : "inbox");
            value.put("file", key.photo());
        } else {
            value.put("requestId", exchange.getProperty(Exchange.CORRELATION_ID, exchange.getExchangeId(), String.class));
            value.put("source", exchange.getProperty(SOURCE, "direct", String.class));
        }
        value.put("sha256", key != null && !request.album() ? key.sha256() : sha256(request));
        value.put("outcome", outcome);
        queue(outcome.target() + ":" + outcome.recipient(), value);
    }

    /** A Kafka request refused before any recipient: its outcome, keyed by the record's key (its destination). */
    void refused(String requestId, Object recordKey, ErrorCode code, String reason) {
        if (!enabled) {
            return;
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("status", Outcome.FAILED);
        outcome.put("code", code);
        outcome.put("reason", reason);
        outcome.put("timestamp", Instant.now());
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("requestId", requestId);
        value.put("source", "kafka");
        value.put("outcome", outcome);
        queue(recordKey == null ? null : recordKey.toString(), value);
    }

    private void queue(String key, Map<String, Object> value) {
        String text;
        try {
            text = json.writeValueAsString(value);
        } catch (IOException e) {
            LOG.error("Kafka: an outcome could not be written as JSON: " + e);
            return;
        }
        synchronized (queue) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                if (dropped++ % 1000 == 0) {
                    LOG.warn("Kafka: the outcomes buffer is full (relay.kafka.outcomes-buffer=" + capacity
                            + "): the oldest unpublished outcomes are dropped (" + dropped + " so far)");
                }
            }
            queue.addLast(Map.entry(key == null ? "" : key, text));
            queue.notifyAll();
        }
    }

    private void publishAll() {
        boolean failing = false;
        while (!Thread.currentThread().isInterrupted()) {
            List<Map.Entry<String, String>> batch = new ArrayList<>();
            synchronized (queue) {
                while (queue.isEmpty()) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                for (Map.Entry<String, String> outcome : queue) {
                    batch.add(outcome);
                    if (batch.size() == BATCH) {
                        break;
                    }
                }
            }
            Exception failure = producer.send(endpoint, exchange -> {
                // camel-kafka sends each message of a list as a record of its own
                List<org.apache.camel.Message> records = new ArrayList<>(batch.size());
                for (Map.Entry<String, String> outcome : batch) {
                    DefaultMessage record = new DefaultMessage(exchange.getContext());
                    record.setHeader(KafkaConstants.KEY, outcome.getKey());
                    record.setBody(outcome.getValue());
                    records.add(record);
                }
                exchange.getMessage().setBody(records);
            }).getException();
            if (failure == null) {
                synchronized (queue) {
                    for (int i = 0; i < batch.size() && !queue.isEmpty(); i++) {
                        // the oldest may have been dropped meanwhile: take away only what was published
                        if (queue.peekFirst() == batch.get(i)) {
                            queue.pollFirst();
                        }
                    }
                }
                if (failing) {
                    LOG.info("Kafka: outcomes are published again");
                    failing = false;
                }
            } else {
                if (!failing) {
                    LOG.warn("Kafka: outcomes cannot be published (" + Printable.of(failure.toString())
                            + "); trying again every " + RETRY_AFTER.toSeconds() + " s, " + queueSize() + " waiting");
                    failing = true;
                }
                try {
                    Thread.sleep(RETRY_AFTER.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private int queueSize() {
        synchronized (queue) {
            return queue.size();
        }
    }

    /** The photo's SHA-256, or each photo's for an album; null for a photo given as a link. */
    private static Object sha256(PhotoRequest request) {
        List<String> shas = new ArrayList<>();
        for (Photo photo : request.photos()) {
            shas.add(photo instanceof Photo.Content content ? sha256(content) : null);
        }
        return request.album() ? shas : shas.get(0);
    }

    private static String sha256(Photo.Content content) {
        try (InputStream in = content.open()) {
            return Sha256.of(in);
        } catch (IOException e) {
            return null;
        }
    }
}
