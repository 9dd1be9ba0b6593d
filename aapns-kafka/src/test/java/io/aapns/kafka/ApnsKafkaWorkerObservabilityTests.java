package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The worker's health ({@code aapnsKafka}) and meters against a Kafka broker in this JVM and the mock APNs: what it
 * counts for good records, 410s and poison records, the lag of each partition it reads, and its states (stopped,
 * running, paused at {@code max-in-flight}, failed when its container stops under it).
 */
@SpringBootTest(
        classes = {TestApplication.class, ApnsKafkaWorkerObservabilityTests.Meters.class},
        properties = {
            "aapns.kafka.requests-topic=seen-requests",
            "aapns.kafka.results-topic=seen-results",
            "aapns.kafka.dead-letter-topic=seen-requests-dlt",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=seen-workers",
            "aapns.kafka.worker.id=seen-1",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 4,
        topics = {"seen-requests", "seen-results", "seen-requests-dlt", "state-requests", "state-results"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaWorkerObservabilityTests {

    static final Duration GENEROUS = Duration.ofSeconds(60);

    @TestConfiguration(proxyBeanMethods = false)
    static class Meters {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    ApnsKafkaWorker worker;

    @Autowired
    @Qualifier("aapnsKafkaHealthIndicator")
    HealthIndicator health;

    @Autowired
    ApnsKafkaMetrics metrics;

    @Autowired
    MeterRegistry registry;

    @Autowired
    ApnsKafkaClients clients;

    @Autowired
    PushRequestCodec codec;

    @Autowired
    ApnsClient client;

    @Autowired
    MockApnsServer mockApnsServer;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @BeforeEach
    void reset() {
        mockApnsServer.faults().clear();
    }

    @Test
    void theWorkerCountsWhatItConsumedAndReportedAndShowsEachPartitionsLag() throws Exception {
        metrics.bindTo(registry); // Boot binds MeterBinder beans to its own registries; this one is the test's
        int good = 200;
        int gone = 10;
        int poison = 5;
        Instant since = Instant.parse("2026-06-01T00:00:00Z");
        List<CompletableFuture<?>> written = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            String token = KafkaTopics.token(21, i);
            if (i < gone) {
                mockApnsServer.markUnregistered(token, since);
            }
            written.add(publisher.publish(
                    token, Notification.builder().alert("n" + i).build()));
        }
        for (int i = 0; i < poison; i++) {
            written.add(clients.template().send("seen-requests", "poison-" + i, "{not json"));
        }
        for (CompletableFuture<?> f : written) {
            f.get(60, TimeUnit.SECONDS);
        }
        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        await().atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> topics.committedOffsets("seen-workers", "seen-requests")
                        .equals(topics.endOffsets("seen-requests")));

        assertThat(worker.consumedRequests()).isEqualTo(good + poison);
        assertThat(worker.outcomes(PushOutcome.Kind.ACCEPTED)).isEqualTo(good - gone);
        assertThat(worker.outcomes(PushOutcome.Kind.REJECTED)).isEqualTo(gone);
        assertThat(worker.unregistered()).isEqualTo(gone);
        assertThat(worker.deadLettered()).isEqualTo(poison);
        assertThat(counter("aapns.kafka.records", "topic", "requests")).isEqualTo(good + poison);
        assertThat(counter("aapns.kafka.records", "topic", "retries")).isZero();
        assertThat(counter("aapns.kafka.outcomes", "outcome", "accepted")).isEqualTo(good - gone);
        assertThat(counter("aapns.kafka.outcomes", "outcome", "rejected")).isEqualTo(gone);
        assertThat(counter("aapns.kafka.outcomes", "outcome", "failed")).isZero();
        assertThat(registry.get("aapns.kafka.unregistered").functionCounter().count())
                .isEqualTo(gone);
        assertThat(registry.get("aapns.kafka.dead.letters").functionCounter().count())
                .isEqualTo(poison);
        await().atMost(GENEROUS)
                .untilAsserted(() -> assertThat(
                                registry.get("aapns.kafka.held").gauge().value())
                        .isZero());
        // The Kafka consumer's own metrics, bound through Spring Kafka's MicrometerConsumerListener.
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
                .contains(
                        "kafka.consumer.coordinator.commit.latency.avg",
                        "kafka.consumer.coordinator.commit.latency.max",
                        "kafka.consumer.fetch.manager.records.lag.max");

        await().atMost(GENEROUS).untilAsserted(() -> {
            Health h = health.health();
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails())
                    .containsEntry("worker", "seen-1")
                    .containsEntry("state", "running")
                    .containsEntry("held", 0)
                    .containsEntry("inFlight", 0);
            @SuppressWarnings("unchecked")
            Map<String, Object> partitions =
                    (Map<String, Object>) h.getDetails().get("partitions");
            assertThat(partitions)
                    .containsOnlyKeys("seen-requests-0", "seen-requests-1", "seen-requests-2", "seen-requests-3");
            assertThat(partitions.values()).allSatisfy(p -> assertThat(p).isEqualTo(Map.of("lag", 0L)));
        });
    }

    @Test
    void aStoppedWorkerIsOutOfServiceAPausedOneUpAndOneWhoseContainerStoppedDown() throws Exception {
        ApnsKafkaWorker own = new ApnsKafkaWorker(
                client,
                clients,
                codec,
                new ApnsKafkaProperties(
                        "state-requests",
                        "state-results",
                        null,
                        null,
                        new ApnsKafkaProperties.Worker(
                                true,
                                "state-workers",
                                "state-1",
                                1,
                                2,
                                null,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(15))));
        HealthIndicator ownHealth = new ApnsKafkaWorkerHealthIndicator(own);
        try {
            assertThat(ownHealth.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(ownHealth.health().getDetails()).containsEntry("state", "stopped");

            mockApnsServer.faults().delay(Duration.ofSeconds(2));
            own.start();
            for (int i = 0; i < 20; i++) {
                PushRequest request = PushRequest.builder(
                                KafkaTopics.token(22, i),
                                Notification.builder().alert("state " + i).build())
                        .build();
                clients.template()
                        .send("state-requests", request.deviceToken(), codec.encode(request))
                        .get(30, TimeUnit.SECONDS);
            }
            // Two records held, answers slow: the container pauses, which is back-pressure, not a fault.
            await().atMost(GENEROUS).untilAsserted(() -> {
                Health h = ownHealth.health();
                assertThat(h.getStatus()).isEqualTo(Status.UP);
                assertThat(h.getDetails()).containsEntry("state", "paused").containsEntry("maxInFlight", 2);
            });
            mockApnsServer.faults().clear();
            await().atMost(GENEROUS).until(() -> own.outcomes(PushOutcome.Kind.ACCEPTED) == 20);

            own.container().stop(); // as when its consumer hits a fatal error
            assertThat(ownHealth.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(ownHealth.health().getDetails()).containsEntry("state", "failed");
        } finally {
            own.stop();
            mockApnsServer.faults().clear();
        }
        assertThat(ownHealth.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }

    private double counter(String name, String tag, String value) {
        Meter.Id id = registry.get(name).tag(tag, value).functionCounter().getId();
        return registry.get(id.getName()).tags(id.getTags()).functionCounter().count();
    }
}
