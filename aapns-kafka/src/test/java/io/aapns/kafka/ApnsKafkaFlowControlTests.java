package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * With a small {@code max-in-flight} and a slow APNs, the worker never has more notifications in flight than allowed,
 * even when a poll brings many more records: it pauses the container and resumes it at the low-water mark.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=slow-requests",
            "aapns.kafka.results-topic=slow-results",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=slow-workers",
            "aapns.kafka.worker.max-in-flight=4",
            "aapns.kafka.worker.low-water-mark=1",
            // A poll may bring far more records than may be in flight.
            "spring.kafka.consumer.max-poll-records=50",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 3,
        topics = {"slow-requests", "slow-results", "stop-requests", "stop-results"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaFlowControlTests {

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    ApnsKafkaWorker worker;

    @Autowired
    MockApnsServer mockApnsServer;

    @Autowired
    ApnsClient client;

    @Autowired
    ApnsKafkaClients clients;

    @Autowired
    PushRequestCodec codec;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @BeforeEach
    void reset() {
        mockApnsServer.reset();
    }

    @Test
    void theContainerPausesAtMaxInFlightAndResumesAtTheLowWaterMark() throws Exception {
        mockApnsServer.faults().delay(Duration.ofMillis(50));
        try {
            int n = 60;
            List<CompletableFuture<RecordMetadata>> written = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                written.add(publisher.publish(
                        KafkaTopics.token(6, i),
                        Notification.builder().alert("slow " + i).build()));
            }
            for (CompletableFuture<RecordMetadata> f : written) {
                f.get(60, TimeUnit.SECONDS);
            }
            KafkaTopics topics = new KafkaTopics(bootstrapServers);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> topics.readAll("slow-results").size() == n);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> topics.committedOffsets("slow-workers", "slow-requests")
                            .equals(topics.endOffsets("slow-requests")));

            assertThat(worker.highestInFlight()).isBetween(2, 4);
            assertThat(worker.pauses()).isPositive();
            assertThat(worker.resumes()).isPositive();
            assertThat(worker.held()).isZero();
            assertThat(worker.container().isPauseRequested()).isFalse();
            assertThat(mockApnsServer.acceptedRequests()).hasSize(n);
            // Seen from the server: each answer comes at least 50 ms after its request, so the requests received
            // within any 45 ms were all unanswered at once, and there may never be more than max-in-flight.
            List<Instant> received = mockApnsServer.acceptedRequests().stream()
                    .map(RecordedRequest::receivedAt)
                    .sorted()
                    .toList();
            int most = 0;
            for (int i = 0, j = 0; i < received.size(); i++) {
                while (Duration.between(received.get(j), received.get(i)).toMillis() >= 45) {
                    j++;
                }
                most = Math.max(most, i - j + 1);
            }
            assertThat(most).isBetween(2, 4);
        } finally {
            mockApnsServer.faults().clear();
        }
    }

    @Test
    void stoppingWaitsForTheRecordsInFlightAndCommitsThem() throws Exception {
        int n = 200;
        for (int i = 0; i < n; i++) {
            PushRequest request = PushRequest.builder(
                            KafkaTopics.token(8, i),
                            Notification.builder().alert("stop " + i).build())
                    .build();
            clients.template()
                    .send("stop-requests", request.deviceToken(), codec.encode(request))
                    .get(30, TimeUnit.SECONDS);
        }
        ApnsKafkaWorker worker = new ApnsKafkaWorker(
                client,
                clients,
                codec,
                new ApnsKafkaProperties(
                        "stop-requests",
                        "stop-results",
                        null,
                        null,
                        new ApnsKafkaProperties.Worker(
                                true,
                                "stopping",
                                "stopping-1",
                                1,
                                10,
                                null,
                                Duration.ofSeconds(30),
                                Duration.ofSeconds(15))));
        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        mockApnsServer.faults().delay(Duration.ofMillis(100));
        try {
            worker.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> topics.readAll("stop-results").size() >= 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> worker.inFlight() > 0);
            worker.stop();

            assertThat(worker.held()).isZero();
            long outcomes = topics.readAll("stop-results").size();
            long committed = topics.committedOffsets("stopping", "stop-requests").values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            // Every record that got an outcome before the stop is committed, and nothing else.
            assertThat(committed).isEqualTo(outcomes);
            assertThat(outcomes).isLessThan(n);
        } finally {
            worker.stop();
            mockApnsServer.faults().clear();
        }
    }
}
