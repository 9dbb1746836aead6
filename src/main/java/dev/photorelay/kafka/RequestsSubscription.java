package dev.photorelay.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.CamelContext;

import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How the requests' consumer joins its group (camel-kafka looks this {@link SubscribeAdapter} up by the name
 * {@value KafkaConstants#KAFKA_SUBSCRIBE_ADAPTER}): as camel-kafka does, plus a hand-over when partitions go to another
 * member. The records in flight on them are given a while to settle, and what is settled is committed before the new
 * owner reads from the committed offset (Kafka's rebalance listener contract: this runs in the consumer's thread,
 * inside its poll). What settles later is read again by the new owner, whose confirmed deliveries keep it from being
 * sent twice.
 */
@Singleton
@Named(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER)
@RegisterForReflection
public class RequestsSubscription implements SubscribeAdapter {

    /** How long a rebalance waits for this relay's requests in flight on the partitions it gives up. */
    static final Duration HAND_OVER_PATIENCE = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(RequestsSubscription.class);

    private final KafkaRequests requests;
    private final CamelContext camel;

    public RequestsSubscription(KafkaRequests requests, CamelContext camel) {
        this.requests = requests;
        this.camel = camel;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camels, TopicInfo topic) {
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                handOver(consumer, partitions);
                camels.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // no longer this relay's (its session ended): nothing may be committed for them
                requests.offsets().lost(partitions);
                camels.onPartitionsLost(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                camels.onPartitionsAssigned(partitions);
            }
        };
        if (topic.isPattern()) {
            consumer.subscribe(topic.getPattern(), listener);
        } else {
            consumer.subscribe(topic.getTopics(), listener);
        }
    }

    private void handOver(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            // a relay stopping hands over at once: its deliveries are being stopped and would not settle
            Map<TopicPartition, Long> settled = requests.offsets().handOver(partitions,
                    camel.isStopping() ? Duration.ZERO : HAND_OVER_PATIENCE);
            if (!settled.isEmpty()) {
                // also waits for the commits made asynchronously before it
                consumer.commitSync(settled.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Kafka: the offsets of partitions handed over could not be committed: "
                    + Printable.of(e.toString()));
        }
    }
}
