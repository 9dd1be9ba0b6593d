package io.aapns.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Counts, per partition, the records taken and not yet acknowledged, so that when a partition is revoked the consumer
 * thread can wait (bounded) for its records in flight to be acknowledged, and the container commits them before the
 * partition moves to another worker. It also numbers each partition's assignments: a record whose outcome comes after
 * its partition was revoked is not acknowledged (its new owner sends it again), since Spring Kafka's out-of-order
 * acknowledgement must not be given a record of an earlier assignment. Thread-safe.
 */
final class PartitionHolds {

    private final Map<TopicPartition, Integer> held = new HashMap<>();
    private final Map<TopicPartition, Long> generations = new HashMap<>();

    /** Returns the current assignment number of {@code partition}, to be given back to {@link #acknowledge}. */
    synchronized long generation(TopicPartition partition) {
        return generations.getOrDefault(partition, 0L);
    }

    /**
     * Runs {@code ack} unless {@code partition} was revoked since {@code generation}; returns whether it ran. The ack
     * only queues the acknowledgement for the consumer thread, so it runs under the lock that revocation takes.
     */
    synchronized boolean acknowledge(TopicPartition partition, long generation, Runnable ack) {
        if (generation(partition) != generation) {
            return false;
        }
        ack.run();
        return true;
    }

    /** Says that {@code partitions} were revoked: acknowledgements of their records taken before are dropped. */
    synchronized void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            generations.merge(partition, 1L, Long::sum);
        }
    }

    synchronized void hold(TopicPartition partition) {
        held.merge(partition, 1, Integer::sum);
    }

    synchronized void release(TopicPartition partition) {
        Integer n = held.get(partition);
        if (n == null) {
            throw new IllegalStateException("no record of " + partition + " is held");
        }
        if (n == 1) {
            held.remove(partition);
            notifyAll();
        } else {
            held.put(partition, n - 1);
        }
    }

    /** Waits up to {@code millis} for no record of {@code partitions} to be held; returns how many still are. */
    synchronized int awaitReleased(Collection<TopicPartition> partitions, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            int left = 0;
            for (TopicPartition partition : partitions) {
                left += held.getOrDefault(partition, 0);
            }
            long wait = (deadline - System.nanoTime()) / 1_000_000L;
            if (left == 0 || wait <= 0) {
                return left;
            }
            wait(wait);
        }
    }
}
