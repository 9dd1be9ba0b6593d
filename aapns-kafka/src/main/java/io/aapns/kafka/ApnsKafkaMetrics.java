package io.aapns.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.springframework.kafka.core.MicrometerConsumerListener;

/**
 * The worker's meters, read from its counts when the registry publishes (nothing is paid per record beyond a counter
 * increment):
 *
 * <ul>
 *   <li>{@code aapns.kafka.records{topic=requests|retries}}: records consumed;
 *   <li>{@code aapns.kafka.outcomes{outcome=accepted|rejected|failed}}: outcomes reported, and
 *       {@code aapns.kafka.unregistered}: the 410 Unregistered among the rejections;
 *   <li>{@code aapns.kafka.retries} and {@code aapns.kafka.dead.letters}: records written to the retry and dead-letter
 *       topics;
 *   <li>{@code aapns.kafka.pauses} and {@code aapns.kafka.resumes}: back-pressure at {@code max-in-flight};
 *   <li>{@code aapns.kafka.held} and {@code aapns.kafka.in.flight}: records held and notifications sent without an
 *       answer, now.
 * </ul>
 *
 * Made with the application's registry, it also hands the worker's consumers to Spring Kafka's
 * {@link MicrometerConsumerListener} before the worker starts, so the Kafka consumer's own metrics are published there
 * as {@code kafka.consumer.*}: among them commit latency ({@code kafka.consumer.coordinator.commit.latency.avg} and
 * {@code .max}) and lag ({@code kafka.consumer.fetch.manager.records.lag.max}; per partition,
 * {@code kafka.consumer.fetch.manager.records.lag}, once Micrometer's periodic look for new Kafka metrics has found the
 * partition's, within a minute of its first fetch).
 */
final class ApnsKafkaMetrics implements MeterBinder {

    private final ApnsKafkaWorker worker;

    /**
     * Creates the binder of {@code worker}'s meters; with {@code consumerMeters} (null: none), the worker's Kafka
     * consumers are bound to it as they are created.
     */
    ApnsKafkaMetrics(ApnsKafkaWorker worker, MeterRegistry consumerMeters) {
        this.worker = worker;
        if (consumerMeters != null) {
            worker.addConsumerListener(new MicrometerConsumerListener<>(consumerMeters));
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(
                registry,
                "aapns.kafka.records",
                "Records the worker consumed",
                "topic",
                "requests",
                w -> w.consumedRequests());
        counter(
                registry,
                "aapns.kafka.records",
                "Records the worker consumed",
                "topic",
                "retries",
                w -> w.consumedRetries());
        for (PushOutcome.Kind kind : PushOutcome.Kind.values()) {
            counter(
                    registry,
                    "aapns.kafka.outcomes",
                    "Outcomes the worker reported",
                    "outcome",
                    kind.name().toLowerCase(Locale.ROOT),
                    w -> w.outcomes(kind));
        }
        counter(registry, "aapns.kafka.unregistered", "410 Unregistered outcomes", null, null, w -> w.unregistered());
        counter(registry, "aapns.kafka.retries", "Requests written to the retry topic", null, null, w -> w.retried());
        counter(
                registry,
                "aapns.kafka.dead.letters",
                "Records written to the dead-letter topic",
                null,
                null,
                w -> w.deadLettered());
        counter(
                registry,
                "aapns.kafka.pauses",
                "Times the container paused at max-in-flight",
                null,
                null,
                w -> w.pauses());
        counter(
                registry,
                "aapns.kafka.resumes",
                "Times the container resumed at the low-water mark",
                null,
                null,
                w -> w.resumes());
        Gauge.builder("aapns.kafka.held", worker, ApnsKafkaWorker::held)
                .description("Records taken from Kafka without an outcome yet")
                .register(registry);
        Gauge.builder("aapns.kafka.in.flight", worker, ApnsKafkaWorker::inFlight)
                .description("Notifications sent and not yet answered")
                .register(registry);
    }

    private void counter(
            MeterRegistry registry,
            String name,
            String description,
            String tag,
            String value,
            ToDoubleFunction<ApnsKafkaWorker> count) {
        FunctionCounter.Builder<ApnsKafkaWorker> builder =
                FunctionCounter.builder(name, worker, count).description(description);
        if (tag != null) {
            builder.tag(tag, value);
        }
        builder.register(registry);
    }
}
