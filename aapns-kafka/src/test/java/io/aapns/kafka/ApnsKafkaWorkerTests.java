package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.SendOptions;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The publisher and one worker against a Kafka broker in this JVM (KRaft) and the mock APNs over TLS: every request
 * gets exactly one outcome, offsets are committed to the end, poison records go to the dead-letter topic, 410s to the
 * unregistered topic, and one key's records are sent in order.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=push-requests",
            "aapns.kafka.results-topic=push-results",
            "aapns.kafka.unregistered-topic=push-unregistered",
            "aapns.kafka.dead-letter-topic=push-requests-dlt",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=workers",
            "aapns.kafka.worker.id=worker-1",
            "aapns.kafka.worker.max-in-flight=200",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 4,
        topics = {"push-requests", "push-results", "push-unregistered", "push-requests-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaWorkerTests {

    static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    ApnsKafkaWorker worker;

    @Autowired
    ApnsKafkaClients clients;

    @Autowired
    MockApnsServer mockApnsServer;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    KafkaTopics topics;

    @BeforeEach
    void setUp() {
        topics = new KafkaTopics(bootstrapServers);
        mockApnsServer.faults().clear();
    }

    static Notification alert(String text) {
        return Notification.builder().alert(text).build();
    }

    /** The outcomes on the results topic of the given tokens, by token, once there are {@code count} of them. */
    Map<String, List<PushOutcome>> awaitOutcomes(String topic, Set<String> tokens, int count) {
        Map<String, List<PushOutcome>> byToken = new HashMap<>();
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(200)).until(() -> {
            byToken.clear();
            for (ConsumerRecord<String, String> r : topics.readAll(topic)) {
                PushOutcome o = PushOutcome.fromJson(r.value());
                if (tokens.contains(o.token())) {
                    byToken.computeIfAbsent(o.token(), t -> new ArrayList<>()).add(o);
                }
            }
            return byToken.values().stream().mapToInt(List::size).sum() >= count;
        });
        return byToken;
    }

    void awaitCommittedToTheEnd() {
        await().atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200))
                .until(() ->
                        topics.committedOffsets("workers", "push-requests").equals(topics.endOffsets("push-requests")));
    }

    @Test
    void everyRequestGetsExactlyOneOutcomeAndTheOffsetsAreCommittedToTheEnd() throws Exception {
        int n = 2000;
        List<String> tokens = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String token = KafkaTopics.token(1, i);
            tokens.add(token);
            written.add(publisher.publish(token, alert("n" + i)));
        }
        Set<Integer> partitions = new java.util.HashSet<>();
        for (CompletableFuture<RecordMetadata> f : written) {
            partitions.add(f.get(60, TimeUnit.SECONDS).partition());
        }
        assertThat(partitions).hasSize(4);

        awaitCommittedToTheEnd();
        Map<String, List<PushOutcome>> outcomes = awaitOutcomes("push-results", Set.copyOf(tokens), n);

        assertThat(outcomes).hasSize(n);
        assertThat(outcomes.values()).allSatisfy(list -> {
            assertThat(list).hasSize(1);
            PushOutcome o = list.get(0);
            assertThat(o.outcome()).isEqualTo(PushOutcome.Kind.ACCEPTED);
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.worker()).isEqualTo("worker-1");
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.possiblyDuplicated()).isFalse();
            assertThat(o.key()).isEqualTo(o.token());
            // The apns-id is derived from the record's position: a redelivery is sent with the same one.
            assertThat(o.apnsId())
                    .isEqualTo(ApnsIds.derive(
                                    PushRequest.builder(o.token(), alert("x")).build(),
                                    o.source().topic(),
                                    o.source().partition(),
                                    o.source().offset())
                            .toString());
        });
        Map<String, Long> seen = mockApnsServer.acceptedRequests().stream()
                .map(RecordedRequest::deviceToken)
                .filter(Set.copyOf(tokens)::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(seen).hasSize(n);
        assertThat(seen.values()).containsOnly(1L);
        assertThat(worker.highestInFlight()).isLessThanOrEqualTo(200);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsErrorAndTheRestFlow() throws Exception {
        String poisonKey = KafkaTopics.token(2, 999);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(KafkaTopics.token(2, i));
        }
        for (int i = 0; i < 10; i++) {
            publisher.publish(tokens.get(i), alert("before"));
        }
        clients.template()
                .send(new ProducerRecord<>("push-requests", poisonKey, "{\"v\":1,\"token\":\"" + poisonKey + "\"}"))
                .get(30, TimeUnit.SECONDS);
        clients.template()
                .send(new ProducerRecord<>("push-requests", poisonKey, "not json"))
                .get(30, TimeUnit.SECONDS);
        String named = KafkaTopics.token(2, 998);
        publisher
                .publish(PushRequest.builder(named, alert("for another app"))
                        .client("other-app")
                        .build())
                .get(30, TimeUnit.SECONDS);
        for (int i = 10; i < 20; i++) {
            publisher.publish(tokens.get(i), alert("after")).get(30, TimeUnit.SECONDS);
        }

        Map<String, List<PushOutcome>> outcomes = awaitOutcomes("push-results", Set.copyOf(tokens), 20);
        assertThat(outcomes).hasSize(20);

        await().atMost(GENEROUS)
                .until(() -> topics.readAll("push-requests-dlt").stream()
                                .filter(r -> poisonKey.equals(r.key()))
                                .count()
                        == 2);
        List<ConsumerRecord<String, String>> dead = topics.readAll("push-requests-dlt").stream()
                .filter(r -> poisonKey.equals(r.key()))
                .toList();
        assertThat(dead)
                .extracting(ConsumerRecord::value)
                .containsExactly("{\"v\":1,\"token\":\"" + poisonKey + "\"}", "not json");
        assertThat(header(dead.get(0), KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains("exactly one of \"payload\" (the APNs payload) and \"notification\"");
        assertThat(header(dead.get(1), KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("the record is not JSON");
        assertThat(header(dead.get(1), KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("push-requests");
        // No bean otherAppApnsClient: dead-lettered rather than sent with the default client's credentials.
        await().atMost(GENEROUS)
                .until(() -> topics.readAll("push-requests-dlt").stream().anyMatch(r -> named.equals(r.key())));
        ConsumerRecord<String, String> unrouted = topics.readAll("push-requests-dlt").stream()
                .filter(r -> named.equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertThat(header(unrouted, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains("no bean named 'other-appApnsClient' of type ApnsClient");
        awaitCommittedToTheEnd();
        assertThat(mockApnsServer.acceptedRequests())
                .noneMatch(r -> poisonKey.equals(r.deviceToken()) || named.equals(r.deviceToken()));
    }

    @Test
    void anUnregisteredTokenGoesToTheUnregisteredTopicWithItsTimestamp() throws Exception {
        String gone = KafkaTopics.token(3, 1);
        String fine = KafkaTopics.token(3, 2);
        Instant since = Instant.parse("2026-06-01T12:00:00Z");
        mockApnsServer.markUnregistered(gone, since);
        try {
            publisher.publish(gone, alert("are you there")).get(30, TimeUnit.SECONDS);
            publisher.publish(fine, alert("hello")).get(30, TimeUnit.SECONDS);

            Map<String, List<PushOutcome>> outcomes = awaitOutcomes("push-results", Set.of(gone, fine), 2);
            PushOutcome rejected = outcomes.get(gone).get(0);
            assertThat(rejected.outcome()).isEqualTo(PushOutcome.Kind.REJECTED);
            assertThat(rejected.status()).isEqualTo(410);
            assertThat(rejected.reason()).isEqualTo("Unregistered");
            assertThat(rejected.timestamp()).isEqualTo(since);

            Map<String, List<PushOutcome>> unregistered = awaitOutcomes("push-unregistered", Set.of(gone, fine), 1);
            assertThat(unregistered).containsOnlyKeys(gone);
            assertThat(unregistered.get(gone).get(0).timestamp()).isEqualTo(since);
        } finally {
            mockApnsServer.forgetDeviceToken(gone);
        }
    }

    @Test
    void oneKeysRecordsAreSentInOrderWhileOtherKeysGoConcurrently() throws Exception {
        mockApnsServer.faults().delay(Duration.ofMillis(5));
        String ordered = KafkaTopics.token(4, 0);
        Set<String> all = new java.util.HashSet<>(Set.of(ordered));
        int n = 40;
        for (int i = 0; i < n; i++) {
            publisher.publish(PushRequest.builder(ordered, alert("#" + i))
                    .idempotencyKey("ordered-" + i)
                    .build());
            for (int j = 0; j < 5; j++) {
                String other = KafkaTopics.token(4, 1 + i * 5 + j);
                all.add(other);
                publisher.publish(other, alert("other"));
            }
        }
        awaitOutcomes("push-results", all, n * 6);

        List<String> sent = mockApnsServer.acceptedRequests().stream()
                .filter(r -> ordered.equals(r.deviceToken()))
                .map(r -> new String(r.payload(), StandardCharsets.UTF_8))
                .toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(alert("#" + i).toJson());
        }
        assertThat(sent).containsExactlyElementsOf(expected);
        // The idempotency key gives the apns-id: the same on every delivery of that request.
        assertThat(mockApnsServer.acceptedRequests().stream()
                        .filter(r -> ordered.equals(r.deviceToken()))
                        .map(r -> r.header("apns-id"))
                        .findFirst())
                .hasValue(UUID.nameUUIDFromBytes("idempotency-key:ordered-0".getBytes(StandardCharsets.UTF_8))
                        .toString());
        assertThat(worker.highestInFlight()).isGreaterThan(1);
    }

    @Test
    void aNotificationThatMayHaveBeenDeliveredButGotNoAnswerIsReportedFailedAndPossiblyDuplicated() throws Exception {
        String token = KafkaTopics.token(9, 0);
        // Read whole, then reset without an answer, twice: the client re-sends once (max-unsafe-retries) and gives up.
        mockApnsServer.faults().resetAfterEndStreamNext(2, Http2Error.INTERNAL_ERROR);
        publisher.publish(token, alert("lost")).get(30, TimeUnit.SECONDS);

        PushOutcome o =
                awaitOutcomes("push-results", Set.of(token), 1).get(token).get(0);

        assertThat(o.outcome()).isEqualTo(PushOutcome.Kind.FAILED);
        assertThat(o.status()).isNull();
        assertThat(o.possiblyDuplicated()).isTrue();
        assertThat(o.error()).isNotBlank();
        assertThat(mockApnsServer.requests().stream().filter(r -> token.equals(r.deviceToken())))
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.header("apns-id")).isEqualTo(o.apnsId()));
    }

    @Test
    void aBadRequestNeverReachesTheTopic() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher.publish("not a token", alert("x")))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("a device token is hex digits");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher.publish(
                        KafkaTopics.token(5, 0),
                        Notification.builder().contentAvailable(true).build(),
                        SendOptions.builder()
                                .priority(io.aapns.model.Priority.IMMEDIATE)
                                .build()))
                .isInstanceOf(InvalidPushRequestException.class);
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
