package dev.photorelay.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed: requests are delivered side by side and settle in any order, but
 * committing an offset tells the group that every record before it is done. So a settled record's offset is committed
 * only once every earlier record taken from its partition has settled too (the lowest unsettled one holds the rest).
 * The commits themselves are made by the consumer's thread ({@link KafkaRequestsListener}), the only one that may use
 * the Kafka consumer: this only says what is due.
 */
final class KafkaOffsets {

    /** A record taken from a partition. */
    static final class Taken {
        final TopicPartition partition;
        final long offset;
        private boolean settled;
        /** Its partition went to another member before it settled (written under the offsets' lock). */
        private volatile boolean handedOver;

        Taken(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        /** Whether its partition went to another member before it settled here. */
        boolean handedOver() {
            return handedOver;
        }

        @Override
        public String toString() {
            return partition.topic() + "-" + partition.partition() + "-" + offset;
        }
    }

    private final Map<TopicPartition, TreeMap<Long, Taken>> unsettled = new HashMap<>();
    /** Per partition, the offset after the last record below which all is settled: what may be committed. */
    private final Map<TopicPartition, Long> committable = new HashMap<>();
    /** Per partition, the offset last handed out to be committed. */
    private final Map<TopicPartition, Long> committing = new HashMap<>();

    /** A record handed to the relay, in its partition's order. */
    synchronized void taken(Taken record) {
        // a record read again (its partition came back after a rebalance) stands for the earlier reading
        unsettled.computeIfAbsent(record.partition, p -> new TreeMap<>()).put(record.offset, record);
    }

    /**
     * Every recipient of the record is settled: the highest offset below which all is settled may move.
     *
     * @return false if the record was settled before (nothing done)
     */
    synchronized boolean settled(Taken record) {
        if (record.settled) {
            return false;
        }
        record.settled = true;
        TreeMap<Long, Taken> partition = unsettled.get(record.partition);
        if (partition == null) {
            return true;
        }
        Taken highest = null;
        while (!partition.isEmpty() && partition.firstEntry().getValue().settled) {
            highest = partition.pollFirstEntry().getValue();
        }
        if (partition.isEmpty()) {
            unsettled.remove(record.partition);
        }
        if (highest != null) {
            // Kafka's committed offset is that of the next record to read
            committable.put(record.partition, highest.offset + 1);
        }
        notifyAll();
        return true;
    }

    /**
     * What is to be committed now: per partition, the offset of the first record not yet settled, where it moved
     * since the last call.
     */
    synchronized Map<TopicPartition, OffsetAndMetadata> due() {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        committable.forEach((partition, offset) -> {
            if (!offset.equals(committing.put(partition, offset))) {
                due.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return due;
    }

    /** A commit of {@link #due()}'s answer failed: what it held is due again, unless a later offset came due since. */
    synchronized void notCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committing.remove(partition, offset.offset()));
    }

    /** The partitions were taken away without a hand-over (this relay's session ended): nothing is committed. */
    synchronized void lost(Collection<TopicPartition> partitions) {
        partitions.forEach(this::forget);
        notifyAll();
    }

    /**
     * The partitions go to another member: waits (at most {@code patience}) for their records in flight here to
     * settle, then answers what may be committed for each and forgets them. A record settling later commits nothing:
     * the new owner reads it again, and the group's confirmed deliveries keep it from being sent twice.
     *
     * @return the offset to commit per partition (absent: nothing settled here since the last commit)
     */
    synchronized Map<TopicPartition, Long> handOver(Collection<TopicPartition> partitions, Duration patience)
            throws InterruptedException {
        long giveUp = System.nanoTime() + patience.toNanos();
        for (long left = patience.toNanos(); left > 0 && partitions.stream().anyMatch(unsettled::containsKey);
                left = giveUp - System.nanoTime()) {
            wait(Math.max(1, left / 1_000_000));
        }
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long offset = committable.get(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
            forget(partition);
        }
        return offsets;
    }

    private void forget(TopicPartition partition) {
        TreeMap<Long, Taken> left = unsettled.remove(partition);
        if (left != null) {
            left.values().forEach(record -> record.handedOver = true);
        }
        committable.remove(partition);
        committing.remove(partition);
    }
}
