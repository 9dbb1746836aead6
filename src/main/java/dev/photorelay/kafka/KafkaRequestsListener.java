package dev.photorelay.kafka;

import java.util.Map;
import java.util.function.Predicate;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import dev.photorelay.Printable;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The requests' consumer listener (Camel's Pausable EIP in route {@code kafka-requests}): camel-kafka calls it in the
 * consumer's thread after every poll and after every record, the only places where the Kafka consumer may be used
 * while it runs. There it commits the offsets {@link KafkaOffsets} says are settled (camel-kafka's own commit managers
 * commit every record read, deliveries in flight included) and pauses the partitions while
 * {@code relay.kafka.max-in-flight} requests are unsettled, resuming them once {@code untilCheck} (bean
 * {@code kafkaRequestsHaveRoom}) says there is room again. Pausing keeps the consumer polling, so that long deliveries
 * (pacing, a platform's wait) never take it past {@code max.poll.interval.ms} and out of its group.
 * <p>
 * Unlike Camel's own listener it never seeks (the records of a poll still in hand are taken, so the bound is exceeded
 * by one poll's records at most) and never skips a poll's records.
 */
@Singleton
@Named("kafkaRequestsListener")
@RegisterForReflection
public class KafkaRequestsListener extends KafkaConsumerListener {

    private static final Logger LOG = Logger.getLogger(KafkaRequestsListener.class);

    private final KafkaOffsets offsets;
    private Predicate<?> hasRoom = ignored -> true;
    private boolean paused;

    public KafkaRequestsListener(KafkaRequests requests) {
        this.offsets = requests.offsets();
    }

    /** Whether fewer than {@code relay.kafka.max-in-flight} requests are unsettled: the Pausable EIP's untilCheck. */
    @Produces
    @Singleton
    @Named("kafkaRequestsHaveRoom")
    static Predicate<Object> kafkaRequestsHaveRoom(KafkaRequests requests) {
        return ignored -> requests.hasRoom();
    }

    @Override
    public void setResumableCheck(Predicate<?> check) {
        this.hasRoom = check;
    }

    /** After every poll: commits what settled since, then pauses or resumes. Always processes the poll's records. */
    @Override
    public boolean afterConsume(Object ignored) {
        Consumer<?, ?> consumer = getConsumer();
        Map<TopicPartition, OffsetAndMetadata> due = offsets.due();
        if (!due.isEmpty()) {
            consumer.commitAsync(due, (committed, failure) -> {
                if (failure != null) {
                    offsets.notCommitted(due);
                    // a rebalance under way refuses commits for a moment: the hand-over commits what is settled
                    String text = "Kafka: offsets not committed, tried again at the next poll: "
                            + Printable.of(failure.toString());
                    if (failure instanceof RetriableException || failure instanceof RebalanceInProgressException) {
                        LOG.debug(text);
                    } else {
                        LOG.warn(text);
                    }
                }
            });
        }
        flow(consumer);
        return true;
    }

    /** After every record: pauses at the limit. The rest of the poll's records are still taken. */
    @Override
    public boolean afterProcess(ProcessingResult result) {
        flow(getConsumer());
        return true;
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private void flow(Consumer<?, ?> consumer) {
        boolean room = ((Predicate) hasRoom).test(null);
        if (!room) {
            // again after every poll: partitions assigned since come unpaused
            consumer.pause(consumer.assignment());
            if (!paused) {
                // as often as a backlog comes and goes: not for the log at INFO
                LOG.debug("Kafka: relay.kafka.max-in-flight requests in flight: paused");
                paused = true;
            }
        } else if (paused) {
            consumer.resume(consumer.paused());
            LOG.debug("Kafka: resumed");
            paused = false;
        }
    }
}
