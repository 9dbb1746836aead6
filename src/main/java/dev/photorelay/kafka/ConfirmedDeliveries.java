package dev.photorelay.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.processor.idempotent.kafka.KafkaIdempotentRepository;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import dev.photorelay.RelayConfig;
import dev.photorelay.delivery.Outcome;
import dev.photorelay.delivery.Pacer;
import dev.photorelay.delivery.PhotoRequest;
import dev.photorelay.delivery.Recipient;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The group's store of confirmed deliveries of Kafka requests, kept on Kafka itself: Camel's
 * {@link KafkaIdempotentRepository} on the compacted topic {@code relay.kafka.deliveries-topic}, which every relay of
 * the group reads as it is written. A record handed on to another relay (a crash, a rebalance) is delivered there
 * only to the recipients not confirmed here; only calls in flight at a crash are made twice, as for the folder.
 * Keyed {@code <request id> <fingerprint> <target>:<recipient>} (see {@link KafkaRequests#FINGERPRINT}).
 */
@Singleton
@Named("confirmedDeliveries")
@RegisterForReflection
public class ConfirmedDeliveries {

    /** How long a relay whose broker is away at start waits before it tries again to take requests. */
    private static final Duration RETRY = Duration.ofSeconds(10);
    /** Confirmed deliveries kept in memory (about 100 bytes each): hours of a group at Telegram's 30/s. */
    static final int CACHED_DELIVERIES = 500_000;
    private static final Logger LOG = Logger.getLogger(ConfirmedDeliveries.class);

    private final RelayConfig config;
    private final CamelContext camel;
    private volatile KafkaIdempotentRepository store;
    private volatile boolean taking;

    private final Pacer pacer;
    private final KafkaRequests requests;

    public ConfirmedDeliveries(RelayConfig config, CamelContext camel, Pacer pacer, KafkaRequests requests) {
        this.config = config;
        this.camel = camel;
        this.pacer = pacer;
        this.requests = requests;
    }

    /** Whether the relay takes Kafka requests (for the readiness check): false until the store is read. */
    public boolean takingRequests() {
        return taking;
    }

    /**
     * With Kafka configured: makes the compacted topic if it is missing, reads the store, then starts taking requests
     * and keeps the group's share of the platforms' rates ({@link GroupShare}); in the background: a broker away at
     * start delays the requests, not the relay's start.
     */
    void start(@Observes StartupEvent started) {
        if (config.kafka().bootstrapServers().filter(servers -> !servers.isBlank()).isEmpty()) {
            return;
        }
        Thread starting = new Thread(() -> {
            for (int attempt = 1; !camel.isStopping() && !camel.isStopped(); attempt++) {
                try {
                    startTakingRequests();
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the broker away or refusing: the folder and the API go on, Kafka's requests wait for it
                    LOG.warn("Kafka: photo requests are not taken yet (attempt " + attempt + ", again in "
                            + RETRY.toSeconds() + " s): " + Printable.of(e.toString())
                            + (e.getCause() == null ? "" : ": " + Printable.of(e.getCause().toString())));
                }
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kafka-start");
        starting.setDaemon(true);
        starting.start();
    }

    private void startTakingRequests() throws Exception {
        KafkaComponent kafka = camel.getComponent("kafka", KafkaComponent.class);
        Properties producer = kafka.getConfiguration().createProducerProperties();
        Properties consumer = kafka.getConfiguration().createConsumerProperties();
        // camel-kafka's endpoints add the brokers themselves; these clients are made here
        String servers = config.kafka().bootstrapServers().orElseThrow();
        producer.put("bootstrap.servers", servers);
        consumer.put("bootstrap.servers", servers);
        // a confirmation waits for a broker away at most this long: the delivery thread must not (remember's WARN)
        producer.put("max.block.ms", "2000");
        Properties connection = connection(producer);
        if (store == null) {
            createCompactedTopic(connection);
            KafkaIdempotentRepository repository = new KafkaIdempotentRepository(config.kafka().deliveriesTopic(),
                    producer, consumer);
            // Camel keeps 1,000 by default: a busy group's deliveries older than that were sent again after a crash
            repository.setMaxCacheSize(CACHED_DELIVERIES);
            // Camel's, so that it is stopped before its threads: stopped only by their interruption, it would spin
            camel.addService(repository, true, true);
            store = repository;
        }
        camel.getRouteController().startRoute(KafkaRequests.ROUTE);
        new GroupShare(connection, config.kafka().groupId(), config.kafka().clientId(), pacer).start(camel
                .getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kafka-group-share"));
        taking = true;
        LOG.info("Kafka: taking photo requests from " + config.kafka().requestsTopic() + " as group "
                + config.kafka().groupId());
    }

    /** The connection's settings only (address, TLS, SASL): an admin client refuses a producer's others. */
    private static Properties connection(Properties producer) {
        Properties client = new Properties();
        producer.forEach((key, value) -> {
            String name = key.toString();
            if (name.equals("bootstrap.servers") || name.startsWith("security.") || name.startsWith("ssl.")
                    || name.startsWith("sasl.")) {
                client.put(name, value);
            }
        });
        return client;
    }

    private void createCompactedTopic(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            NewTopic topic = new NewTopic(config.kafka().deliveriesTopic(), 1, (short) -1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(java.util.List.of(topic)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * Step when the recipient's turn comes, before the first attempt (route {@code deliver}): a recipient the group
     * confirmed gets no call, nor one of a request whose partition went to another relay meanwhile (that relay reads
     * it again and sends it; both would otherwise, at two paces).
     */
    public void recall(Exchange exchange) {
        String key = key(exchange);
        if (key == null) {
            return;
        }
        Recipient recipient = exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
        if (requests.handedOver(exchange)) {
            exchange.getMessage().setBody(Outcome.handedOver(recipient));
        } else if (store.contains(key)) {
            exchange.getMessage().setBody(Outcome.deliveredEarlier(recipient));
        }
    }

    /**
     * Step after the delivery: a new delivery is confirmed to the group. Should the broker not take it, the delivery
     * stands and is logged; the record, if read again elsewhere, is then delivered again.
     */
    public void remember(Exchange exchange) {
        String key = key(exchange);
        Outcome outcome = exchange.getMessage().getBody(Outcome.class);
        if (key == null || outcome == null || !outcome.delivered() || outcome.alreadySent() != null) {
            return;
        }
        try {
            store.add(key);
        } catch (RuntimeException e) {
            LOG.warn("Kafka: the delivery " + Printable.of(key) + " could not be confirmed to the group: "
                    + Printable.of(e.toString()));
        }
    }

    /** The key of a Kafka request's recipient; null for a photo from another input. */
    private String key(Exchange exchange) {
        String request = exchange.getProperty(KafkaRequests.REQUEST_ID, String.class);
        if (request == null || store == null) {
            return null;
        }
        return request + " " + exchange.getProperty(KafkaRequests.FINGERPRINT, String.class) + " "
                + exchange.getProperty(PhotoRequest.RECIPIENT, Recipient.class);
    }
}
