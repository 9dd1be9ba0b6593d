package io.aapns.kafka;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The worker's health, {@code aapnsKafka}: UP while its listener container runs (also while it is paused because
 * {@code max-in-flight} records are held: that is back-pressure, not a fault), DOWN when the container stopped while
 * the worker runs (a consumer that hit a fatal error), OUT_OF_SERVICE when the worker is stopped. Details: the worker
 * id, the container's state, the records held and the notifications in flight, pauses, and each assigned partition with
 * its lag as the Kafka consumer measures it ({@code records-lag}; absent until the consumer has fetched from it).
 */
final class ApnsKafkaWorkerHealthIndicator implements HealthIndicator {

    private static final String LAG = "records-lag";
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    private final ApnsKafkaWorker worker;

    ApnsKafkaWorkerHealthIndicator(ApnsKafkaWorker worker) {
        this.worker = worker;
    }

    @Override
    public Health health() {
        MessageListenerContainer container = worker.container();
        Health.Builder health;
        String state;
        if (!worker.isRunning()) {
            health = Health.outOfService();
            state = "stopped";
        } else if (!container.isRunning() || !container.isInExpectedState()) {
            health = Health.down()
                    .withDetail(
                            "error",
                            "the listener container stopped while the worker runs: see the log of "
                                    + ApnsKafkaWorker.class.getName() + " and Spring Kafka for the consumer's error");
            state = "failed";
        } else {
            health = Health.up();
            state = container.isContainerPaused() || container.isPauseRequested() ? "paused" : "running";
        }
        return health.withDetail("worker", worker.workerId())
                .withDetail("state", state)
                .withDetail("held", worker.held())
                .withDetail("inFlight", worker.inFlight())
                .withDetail("maxInFlight", worker.maxInFlight())
                .withDetail("pauses", worker.pauses())
                .withDetail("partitions", partitions(container))
                .build();
    }

    /** Each assigned partition ({@code topic-partition}) with its lag, in topic and partition order. */
    private static Map<String, Object> partitions(MessageListenerContainer container) {
        Collection<TopicPartition> assigned = container.getAssignedPartitions();
        if (assigned == null || assigned.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, Long> lags = lags(container.metrics());
        Map<String, Object> partitions = new LinkedHashMap<>();
        List<TopicPartition> sorted = assigned.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
        for (TopicPartition partition : sorted) {
            Long lag = lags.get(partition);
            partitions.put(partition.toString(), lag == null ? Map.of() : Map.of("lag", lag));
        }
        return partitions;
    }

    /** The {@code records-lag} of each partition the consumers have fetched from; NaN (not measured yet) left out. */
    static Map<TopicPartition, Long> lags(Map<String, Map<MetricName, ? extends Metric>> metrics) {
        Map<TopicPartition, Long> lags = new LinkedHashMap<>();
        metrics.values()
                .forEach(byName -> byName.forEach((name, metric) -> {
                    if (LAG.equals(name.name()) && FETCH_GROUP.equals(name.group())) {
                        String topic = name.tags().get("topic");
                        String partition = name.tags().get("partition");
                        if (topic != null
                                && partition != null
                                && metric.metricValue() instanceof Double lag
                                && !lag.isNaN()) {
                            lags.put(new TopicPartition(topic, Integer.parseInt(partition)), lag.longValue());
                        }
                    }
                }));
        return lags;
    }
}
