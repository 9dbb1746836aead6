package dev.photorelay.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A settled request's offset is committed only once every earlier request of its partition has settled. */
class KafkaOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("photo-requests", 0);
    private static final TopicPartition P1 = new TopicPartition("photo-requests", 1);

    private final KafkaOffsets offsets = new KafkaOffsets();
    /** The offsets committed, in order, as the consumer's thread would after each settlement. */
    private final List<String> committed = new ArrayList<>();

    @Test
    void aRequestSettlingBeforeAnEarlierOneWaitsForItThenBothAreCommittedAsOne() {
        KafkaOffsets.Taken first = take(P0, 10);
        KafkaOffsets.Taken second = take(P0, 11);
        KafkaOffsets.Taken third = take(P0, 12);

        settle(second);
        settle(third);
        assertThat(committed).as("10 still in flight: nothing after it may be committed").isEmpty();

        settle(first);
        assertThat(committed).containsExactly("photo-requests-0-12");
    }

    @Test
    void partitionsAreCommittedEachOnItsOwn() {
        KafkaOffsets.Taken slow = take(P0, 5);
        KafkaOffsets.Taken other = take(P1, 7);

        settle(other);

        assertThat(committed).containsExactly("photo-requests-1-7");
        settle(slow);
        assertThat(committed).containsExactly("photo-requests-1-7", "photo-requests-0-5");
    }

    @Test
    void aRequestSettledTwiceIsCountedOnceAndARecordReadAgainStandsForTheEarlierReading() {
        KafkaOffsets.Taken before = take(P0, 3);
        KafkaOffsets.Taken again = take(P0, 3);

        assertThat(settle(before)).isTrue();
        assertThat(settle(before)).isFalse();
        assertThat(committed).as("the partition came back: its record is read again and not settled yet").isEmpty();
        settle(again);
        assertThat(committed).containsExactly("photo-requests-0-3");
    }

    @Test
    void partitionsHandedOverCommitOnlyWhatIsSettledAfterWaitingForWhatIsInFlight() throws Exception {
        take(P0, 20);
        KafkaOffsets.Taken second = take(P0, 21);
        KafkaOffsets.Taken inFlight = take(P1, 4);
        settle(take(P1, 3));
        Thread settling = new Thread(() -> offsets.settled(inFlight));
        settling.start();

        Map<TopicPartition, Long> handedOver = offsets.handOver(List.of(P0, P1), Duration.ofMillis(300));
        settling.join();

        assertThat(handedOver).as("P0's 20 never settled: nothing of P0 may be committed")
                .containsExactly(Map.entry(P1, 5L));
        settle(second);
        assertThat(committed).as("a record of a partition handed over commits nothing when it settles")
                .containsExactly("photo-requests-1-3");
        assertThat(offsets.due()).isEmpty();
    }

    @Test
    void recordsStillInFlightOnAPartitionHandedOverOrLostAreMarkedSoThatTheyAreNotSentHere() throws Exception {
        KafkaOffsets.Taken settledBefore = take(P0, 1);
        settle(settledBefore);
        KafkaOffsets.Taken waiting = take(P0, 2);
        KafkaOffsets.Taken lostOne = take(P1, 9);
        KafkaOffsets.Taken stays = take(new TopicPartition("photo-requests", 2), 4);

        offsets.handOver(List.of(P0), Duration.ZERO);
        offsets.lost(List.of(P1));

        assertThat(waiting.handedOver()).isTrue();
        assertThat(lostOne.handedOver()).isTrue();
        assertThat(settledBefore.handedOver()).as("settled before the hand-over").isFalse();
        assertThat(stays.handedOver()).as("its partition stays here").isFalse();
    }

    @Test
    void aCommitThatFailedIsDueAgainUnlessALaterOffsetCameDueSince() {
        settle(take(P0, 1));
        Map<TopicPartition, OffsetAndMetadata> failed = Map.of(P0, new OffsetAndMetadata(2));
        assertThat(offsets.due()).as("committed already").isEmpty();

        offsets.notCommitted(failed);
        assertThat(offsets.due()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));

        settle(take(P0, 2));
        offsets.notCommitted(failed);
        assertThat(offsets.due()).as("3 was due after the failed 2").isEmpty();
    }

    private KafkaOffsets.Taken take(TopicPartition partition, long offset) {
        KafkaOffsets.Taken taken = new KafkaOffsets.Taken(partition, offset);
        offsets.taken(taken);
        return taken;
    }

    /** Settles the record, then commits what is due, as the consumer's next poll does; records offset - 1 each. */
    private boolean settle(KafkaOffsets.Taken record) {
        boolean first = offsets.settled(record);
        offsets.due().forEach((partition, offset) -> committed.add(partition + "-" + (offset.offset() - 1)));
        return first;
    }
}
