package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.mock.MockApnsServer;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A notification that got no answer (read whole by the mock, then reset: it may have been delivered) goes to the retry
 * topic and is sent again after the back-off, with the same apns-id; after the last attempt its failure is reported and
 * it goes to the dead-letter topic. Each request still gets exactly one outcome.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=retry-requests",
            "aapns.kafka.results-topic=retry-results",
            "aapns.kafka.retry-topic=retry-retries",
            "aapns.kafka.dead-letter-topic=retry-dlt",
            "aapns.kafka.retry.max-attempts=3",
            "aapns.kafka.retry.back-off=100ms",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=retry-workers",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 2,
        topics = {"retry-requests", "retry-results", "retry-retries", "retry-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaRetryTests {

    static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    MockApnsServer mockApnsServer;

    @Autowired
    ApnsKafkaWorker worker;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    KafkaTopics topics;

    @BeforeEach
    void setUp() {
        topics = new KafkaTopics(bootstrapServers);
        mockApnsServer.faults().clear();
    }

    @AfterEach
    void clear() {
        mockApnsServer.faults().clear();
    }

    List<PushOutcome> outcomesOf(String token) throws Exception {
        return topics.readAll("retry-results").stream()
                .map(r -> PushOutcome.fromJson(r.value()))
                .filter(o -> token.equals(o.token()))
                .toList();
    }

    void awaitCommittedToTheEnd() {
        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(200)).until(() -> {
            var committed = topics.committedOffsets("retry-workers", "retry-requests");
            committed.putAll(topics.committedOffsets("retry-workers", "retry-retries"));
            var end = new java.util.HashMap<>(topics.endOffsets("retry-requests"));
            end.putAll(topics.endOffsets("retry-retries"));
            end.values().removeIf(offset -> offset == 0);
            committed.values().removeIf(offset -> offset == 0);
            return committed.equals(end);
        });
    }

    @Test
    void aNotificationWithoutAnAnswerIsRetriedWithTheSameApnsIdAndReportedOnceAsPossiblyDuplicated() throws Exception {
        String token = KafkaTopics.token(10, 0);
        // The first attempt: sent, reset after END_STREAM, re-sent once by the client and reset again: no answer.
        mockApnsServer.faults().resetAfterEndStreamNext(2, Http2Error.INTERNAL_ERROR);
        publisher.publish(token, Notification.builder().alert("again").build()).get(30, TimeUnit.SECONDS);

        await().atMost(GENEROUS).until(() -> !outcomesOf(token).isEmpty());
        awaitCommittedToTheEnd();
        List<PushOutcome> outcomes = outcomesOf(token);
        assertThat(outcomes).hasSize(1);
        PushOutcome o = outcomes.get(0);
        assertThat(o.outcome()).isEqualTo(PushOutcome.Kind.ACCEPTED);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(o.possiblyDuplicated()).isTrue();
        assertThat(o.source().topic()).isEqualTo("retry-requests");
        assertThat(o.apnsId())
                .isEqualTo(ApnsIds.derive(
                                PushRequest.builder(
                                                token,
                                                Notification.builder()
                                                        .alert("x")
                                                        .build())
                                        .build(),
                                "retry-requests",
                                o.source().partition(),
                                o.source().offset())
                        .toString());
        assertThat(mockApnsServer.requests().stream().filter(r -> token.equals(r.deviceToken())))
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.header("apns-id")).isEqualTo(o.apnsId()));
        List<ConsumerRecord<String, String>> retries = topics.readAll("retry-retries").stream()
                .filter(r -> token.equals(r.key()))
                .toList();
        assertThat(retries).hasSize(1);
        assertThat(ApnsKafkaWorkerTests.header(retries.get(0), Redelivery.ATTEMPT))
                .isEqualTo("2");
        assertThat(ApnsKafkaWorkerTests.header(retries.get(0), Redelivery.POSSIBLY_DELIVERED))
                .isEqualTo("true");
        assertThat(topics.readAll("retry-dlt")).noneMatch(r -> token.equals(r.key()));
    }

    @Test
    void afterTheLastAttemptTheFailureIsReportedAndTheRequestGoesToTheDeadLetterTopic() throws Exception {
        String token = KafkaTopics.token(10, 1);
        long retriedBefore = worker.retried();
        long retriesReadBefore = worker.consumedRetries();
        long failedBefore = worker.outcomes(PushOutcome.Kind.FAILED);
        long deadBefore = worker.deadLettered();
        // Three attempts of two sends each, none answered.
        mockApnsServer.faults().resetAfterEndStreamNext(6, Http2Error.INTERNAL_ERROR);
        publisher.publish(token, Notification.builder().alert("lost").build()).get(30, TimeUnit.SECONDS);

        await().atMost(GENEROUS).until(() -> !outcomesOf(token).isEmpty());
        await().atMost(GENEROUS)
                .until(() -> topics.readAll("retry-dlt").stream().anyMatch(r -> token.equals(r.key())));
        awaitCommittedToTheEnd();
        List<PushOutcome> outcomes = outcomesOf(token);
        assertThat(outcomes).hasSize(1);
        PushOutcome o = outcomes.get(0);
        assertThat(o.outcome()).isEqualTo(PushOutcome.Kind.FAILED);
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(o.possiblyDuplicated()).isTrue();
        assertThat(o.error()).isNotBlank();
        assertThat(mockApnsServer.requests().stream().filter(r -> token.equals(r.deviceToken())))
                .hasSize(6)
                .allSatisfy(r -> assertThat(r.header("apns-id")).isEqualTo(o.apnsId()));
        ConsumerRecord<String, String> dead = topics.readAll("retry-dlt").stream()
                .filter(r -> token.equals(r.key()))
                .findFirst()
                .orElseThrow();
        assertThat(ApnsKafkaWorkerTests.header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .isNotBlank();
        assertThat(ApnsKafkaWorkerTests.header(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC))
                .isEqualTo("retry-retries");
        assertThat(topics.readAll("retry-dlt").stream().filter(r -> token.equals(r.key())))
                .hasSize(1);
        // Counted for health and metrics: two trips through the retry topic, one failure, one dead letter.
        assertThat(worker.retried() - retriedBefore).isEqualTo(2);
        assertThat(worker.consumedRetries() - retriesReadBefore).isEqualTo(2);
        assertThat(worker.outcomes(PushOutcome.Kind.FAILED) - failedBefore).isEqualTo(1);
        assertThat(worker.deadLettered() - deadBefore).isEqualTo(1);
    }
}
