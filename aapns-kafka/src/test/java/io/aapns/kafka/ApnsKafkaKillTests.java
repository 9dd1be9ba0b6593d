package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.MockConnection;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A worker killed abruptly mid-run: a second worker runs in a child JVM ({@link ChildWorker}) with a client certificate
 * of its own, so the mock tells its requests from the test worker's; once the mock has seen some of its requests it
 * gets SIGKILL. The test's worker takes over its partitions once the child's session times out (6 s), every request
 * still gets a result, and requests are duplicated only among the records the child had taken at the kill.
 *
 * <p>The bound on duplicates: a token the mock saw twice is a request the child sent (the mock records a request when
 * it has it whole, answered or not) whose offset it had not committed when it died, so the survivor read it again. With
 * {@code asyncAcks} Spring Kafka gives a consumer no new poll until every record of its previous poll is acknowledged,
 * and commits those (synchronously) before it polls again; so every record the child had sent and not committed is from
 * its last poll, which holds at most {@code max.poll.records} records. The worker sets that to {@code max-in-flight}
 * (50 here, with one consumer thread), so at most 50 tokens are duplicated. That counts every record of the poll,
 * whether still in flight at the kill, answered but not yet written to the results topic, or acknowledged but not yet
 * committed (a record after a gap in its partition is not committed before the gap closes). Records the child had taken
 * but not yet sent (held for a free slot) are never duplicated: the mock had not seen them from the child. Two results
 * for a token are two sends of it, so only a token the mock saw twice may have two.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=kill-requests",
            "aapns.kafka.results-topic=kill-results",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=kill-workers",
            "aapns.kafka.worker.id=survivor",
            "aapns.kafka.worker.max-in-flight=50",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 6,
        topics = {"kill-requests", "kill-results"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaKillTests {

    private static final Logger log = LoggerFactory.getLogger(ApnsKafkaKillTests.class);

    /** Requests in the run: at 250 a second per worker (50 in flight, answers after 200 ms), about 10 s of sending. */
    static final int COUNT = 4000;

    /** The child's max-in-flight, and so its max.poll.records: the bound on duplicates. */
    static final int CHILD_MAX_IN_FLIGHT = 50;

    /** Requests of the child the mock must have seen before the kill: several polls into its half of the run. */
    static final int SENT_BEFORE_KILL = 300;

    /** Child JVM start-up (Spring Boot, Kafka, TLS) on a busy machine with two cores. */
    static final Duration CHILD_START = Duration.ofSeconds(120);

    static final Duration GENEROUS = Duration.ofSeconds(120);

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    MockApnsServer mockApnsServer;

    @Autowired
    ConfigurableEnvironment environment;

    @TempDir
    Path credentials;

    ChildWorker child;

    @AfterEach
    void killTheChild() throws InterruptedException {
        try {
            if (child != null) {
                child.close();
            }
        } finally {
            mockApnsServer.reset();
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aWorkerKilledMidRunHasItsPartitionsTakenOverAndDuplicatesOnlyWhatItHadTaken() throws Exception {
        // Answers after 200 ms: the child always has requests the mock has seen but not answered.
        mockApnsServer.faults().delay(Duration.ofMillis(200));
        KafkaTopics topics = new KafkaTopics(environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
        MockClientCertificate childCertificate =
                mockApnsServer.issueClientCertificate(environment.getRequiredProperty("aapns.topic"));
        Map<String, String> properties = WorkerApplication.propertiesLike(environment, "child");
        properties.put(
                "aapns.certificate.path",
                childCertificate
                        .writePkcs12(credentials.resolve("child.p12"), "child".toCharArray())
                        .toUri()
                        .toString());
        properties.put("aapns.certificate.password", "child");
        properties.put("aapns.kafka.worker.max-in-flight", String.valueOf(CHILD_MAX_IN_FLIGHT));
        // A quick take-over: the group notices the dead child 6 s after its last heartbeat.
        properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        child = ChildWorker.start(properties, Path.of("target", "ApnsKafkaKillTests-child.log"));

        // Both workers in the group with three partitions each before anything is published.
        await().atMost(CHILD_START).pollInterval(Duration.ofMillis(500)).until(() -> {
            child.assertAlive();
            Map<String, Set<org.apache.kafka.common.TopicPartition>> assigned =
                    topics.assignments("kill-workers", "kill-requests");
            return assigned.size() == 2 && assigned.values().stream().allMatch(p -> p.size() == 3);
        });

        List<String> tokens = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String token = KafkaTopics.token(11, i);
            tokens.add(token);
            written.add(publisher.publish(
                    token, Notification.builder().alert("k" + i).build()));
        }
        for (CompletableFuture<RecordMetadata> f : written) {
            f.get(60, TimeUnit.SECONDS);
        }

        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(50)).until(() -> {
            child.assertAlive();
            return sentBy(childCertificate).size() >= SENT_BEFORE_KILL;
        });
        assertThat(child.kill()).as("killed by SIGKILL").isEqualTo(128 + 9);
        int sentByTheChild = sentBy(childCertificate).size();

        await().atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> topics.committedOffsets("kill-workers", "kill-requests")
                        .equals(topics.endOffsets("kill-requests")));

        Map<String, List<PushOutcome>> results = new HashMap<>();
        for (ConsumerRecord<String, String> r : topics.readAll("kill-results")) {
            PushOutcome o = PushOutcome.fromJson(r.value());
            results.computeIfAbsent(o.token(), t -> new ArrayList<>()).add(o);
        }
        Set<Integer> childConnections = connectionsOf(childCertificate);
        Map<String, List<RecordedRequest>> seen =
                mockApnsServer.requests().stream().collect(Collectors.groupingBy(RecordedRequest::deviceToken));
        Set<String> duplicated = seen.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        log.info(
                "The child sent {} requests before SIGKILL; {} of them were sent again by the survivor",
                sentByTheChild,
                duplicated.size());

        // Every request has a result; the survivor wrote some for each of the six partitions, the child's included.
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(results.values().stream()
                        .flatMap(List::stream)
                        .filter(o -> o.worker().equals("survivor"))
                        .map(o -> o.source().partition())
                        .collect(Collectors.toSet()))
                .hasSize(6);
        assertThat(results.values().stream().flatMap(List::stream).map(PushOutcome::worker))
                .contains("child");
        // The mock saw every token, none more than twice; a token seen twice was sent once by each worker.
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(seen.values()).allSatisfy(requests -> assertThat(requests).hasSizeLessThanOrEqualTo(2));
        assertThat(duplicated)
                .allSatisfy(token -> assertThat(seen.get(token))
                        .extracting(r -> childConnections.contains(r.connectionId()))
                        .containsExactly(true, false));
        // Two results only for a duplicated token; one worker never sent a token twice.
        assertThat(results.entrySet()).allSatisfy(e -> assertThat(e.getValue()).hasSizeLessThanOrEqualTo(2));
        assertThat(results.entrySet().stream()
                        .filter(e -> e.getValue().size() == 2)
                        .map(Map.Entry::getKey))
                .allSatisfy(token -> assertThat(duplicated).contains(token));
        // Duplicates only among the records of the child's last poll: at least one (it had requests unanswered at
        // the kill), at most max.poll.records, which is the child's max-in-flight.
        assertThat(duplicated).isNotEmpty().hasSizeLessThanOrEqualTo(CHILD_MAX_IN_FLIGHT);
    }

    /** The requests the mock received on connections that presented {@code certificate}. */
    private List<RecordedRequest> sentBy(MockClientCertificate certificate) {
        Set<Integer> connections = connectionsOf(certificate);
        return mockApnsServer.requests().stream()
                .filter(r -> connections.contains(r.connectionId()))
                .toList();
    }

    private Set<Integer> connectionsOf(MockClientCertificate certificate) {
        return mockApnsServer.connections().stream()
                .filter(c -> c.clientCertificate()
                        .map(certificate.certificate()::equals)
                        .orElse(false))
                .map(MockConnection::id)
                .collect(Collectors.toSet());
    }
}
