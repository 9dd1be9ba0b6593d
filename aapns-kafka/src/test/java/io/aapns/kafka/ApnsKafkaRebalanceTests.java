package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A second worker joins the group while the first is sending: the first waits for the records of its revoked partitions
 * to get their outcomes and commits them before letting go, so every request still gets exactly one outcome and the
 * mock sees every token once.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=rebalance-requests",
            "aapns.kafka.results-topic=rebalance-results",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=rebalance-workers",
            "aapns.kafka.worker.id=worker-1",
            "aapns.kafka.worker.max-in-flight=20",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 4,
        topics = {"rebalance-requests", "rebalance-results"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaRebalanceTests {

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    ApnsClient client;

    @Autowired
    ApnsKafkaClients clients;

    @Autowired
    PushRequestCodec codec;

    @Autowired
    ApnsKafkaProperties properties;

    @Autowired
    MockApnsServer mockApnsServer;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void aRebalanceWhileSendingLosesNothingAndSendsNothingTwice() throws Exception {
        // Slow enough (about 400 a second) that the second worker joins while the first is sending.
        mockApnsServer.faults().delay(Duration.ofMillis(50));
        KafkaTopics topics = new KafkaTopics(bootstrapServers);
        int n = 1500;
        List<String> tokens = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String token = KafkaTopics.token(7, i);
            tokens.add(token);
            written.add(publisher.publish(
                    token, Notification.builder().alert("r" + i).build()));
        }
        for (CompletableFuture<RecordMetadata> f : written) {
            f.get(60, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> mockApnsServer.acceptedRequests().size() >= 40);

        ApnsKafkaProperties.Worker one = properties.worker();
        ApnsKafkaProperties second = new ApnsKafkaProperties(
                properties.requestsTopic(),
                properties.resultsTopic(),
                null,
                null,
                new ApnsKafkaProperties.Worker(
                        true,
                        one.groupId(),
                        "worker-2",
                        1,
                        one.maxInFlight(),
                        null,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(15)));
        ApnsKafkaWorker worker2 = new ApnsKafkaWorker(client, clients, codec, second);
        worker2.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> topics.committedOffsets("rebalance-workers", "rebalance-requests")
                            .equals(topics.endOffsets("rebalance-requests")));

            Map<String, List<PushOutcome>> byToken = new HashMap<>();
            for (ConsumerRecord<String, String> r : topics.readAll("rebalance-results")) {
                PushOutcome o = PushOutcome.fromJson(r.value());
                byToken.computeIfAbsent(o.token(), t -> new ArrayList<>()).add(o);
            }
            assertThat(byToken.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
            assertThat(byToken.values()).allSatisfy(list -> assertThat(list).hasSize(1));
            Set<String> workers =
                    byToken.values().stream().map(list -> list.get(0).worker()).collect(Collectors.toSet());
            assertThat(workers).containsExactlyInAnyOrder("worker-1", "worker-2");
            Map<String, Long> seen = mockApnsServer.acceptedRequests().stream()
                    .map(RecordedRequest::deviceToken)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(seen).hasSize(n);
            assertThat(seen.values()).containsOnly(1L);
        } finally {
            worker2.stop();
            mockApnsServer.faults().clear();
        }
    }
}
