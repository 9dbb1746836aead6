package dev.photorelay.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A settled request's offset is committed only once every earlier request of its partition has settled. */
class KafkaOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("photo-requests", 0);
    private static final TopicPartition P1 = new TopicPartition("photo-requests", 1);

    private final KafkaOffsets offsets = new KafkaOffsets();
    /** The offsets committed, in order, as camel-kafka's manual commits were called. */
    private final List<String> committed = new ArrayList<>();

    @Test
    void aRequestSettlingBeforeAnEarlierOneWaitsForItThenBothAreCommittedAsOne() {
        KafkaOffsets.Taken first = take(P0, 10);
        KafkaOffsets.Taken second = take(P0, 11);
        KafkaOffsets.Taken third = take(P0, 12);

        offsets.settled(second);
        offsets.settled(third);
        assertThat(committed).as("10 still in flight: nothing after it may be committed").isEmpty();

        offsets.settled(first);
        assertThat(committed).containsExactly("photo-requests-0-12");
    }

    @Test
    void partitionsAreCommittedEachOnItsOwn() {
        KafkaOffsets.Taken slow = take(P0, 5);
        KafkaOffsets.Taken other = take(P1, 7);

        offsets.settled(other);

        assertThat(committed).containsExactly("photo-requests-1-7");
        offsets.settled(slow);
        assertThat(committed).containsExactly("photo-requests-1-7", "photo-requests-0-5");
    }

    @Test
    void aRequestSettledTwiceIsCountedOnceAndARecordReadAgainStandsForTheEarlierReading() {
        KafkaOffsets.Taken before = take(P0, 3);
        KafkaOffsets.Taken again = take(P0, 3);

        assertThat(offsets.settled(before)).isTrue();
        assertThat(offsets.settled(before)).isFalse();
        assertThat(committed).as("the partition came back: its record is read again and not settled yet").isEmpty();
        offsets.settled(again);
        assertThat(committed).containsExactly("photo-requests-0-3");
    }

    @Test
    void partitionsHandedOverCommitOnlyWhatIsSettledAfterWaitingForWhatIsInFlight() throws Exception {
        take(P0, 20);
        KafkaOffsets.Taken second = take(P0, 21);
        KafkaOffsets.Taken inFlight = take(P1, 4);
        offsets.settled(take(P1, 3));
        Thread settling = new Thread(() -> offsets.settled(inFlight));
        settling.start();

        Map<TopicPartition, Long> handedOver = offsets.handOver(List.of(P0, P1), Duration.ofMillis(300));
        settling.join();

        assertThat(handedOver).as("P0's 20 never settled: nothing of P0 may be committed")
                .containsExactly(Map.entry(P1, 5L));
        offsets.settled(second);
        assertThat(committed).as("a record of a partition handed over commits nothing when it settles")
                .containsExactly("photo-requests-1-3", "photo-requests-1-4");
    }

    private KafkaOffsets.Taken take(TopicPartition partition, long offset) {
        KafkaOffsets.Taken[] taken = new KafkaOffsets.Taken[1];
        taken[0] = new KafkaOffsets.Taken(partition, offset, () -> committed.add(taken[0].toString()));
        offsets.taken(taken[0]);
        return taken[0];
    }
}
