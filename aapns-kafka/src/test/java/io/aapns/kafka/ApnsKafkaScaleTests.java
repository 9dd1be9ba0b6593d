package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Many requests over six partitions, two worker instances in one consumer group against the one mock APNs: the test
 * context's worker and a second application context started in the test ({@link WorkerApplication}), each with its own
 * client and connections. Every request gets exactly one result record, the mock sees every token once, and the group's
 * offsets are committed to the end of every partition.
 *
 * <p>The number of requests is the system property {@code aapns.kafka.scale.count}, 20 000 by default so that the test
 * stays cheap in the build. The full run of 100 000:
 *
 * <pre>
 * mvn -B test -pl aapns-kafka -am -Dtest=ApnsKafkaScaleTests -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Daapns.kafka.scale.count=100000
 * </pre>
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=scale-requests",
            "aapns.kafka.results-topic=scale-results",
            "aapns.kafka.worker.enabled=true",
            "aapns.kafka.worker.group-id=scale-workers",
            "aapns.kafka.worker.id=worker-1",
            "aapns.kafka.worker.max-in-flight=500",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 6,
        topics = {"scale-requests", "scale-results"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaScaleTests {

    private static final Logger log = LoggerFactory.getLogger(ApnsKafkaScaleTests.class);

    static final int COUNT = Integer.getInteger("aapns.kafka.scale.count", 20_000);

    /** A bound on the run that grows with the count: a minute, and a second more for every 200 requests. */
    static final Duration RUN = Duration.ofSeconds(60 + COUNT / 200);

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    MockApnsServer mockApnsServer;

    @Autowired
    ConfigurableEnvironment environment;

    ConfigurableApplicationContext secondWorker;

    @AfterEach
    void stopTheSecondWorker() {
        try {
            if (secondWorker != null) {
                secondWorker.close();
            }
        } finally {
            // The cached context would otherwise keep every recorded request for the rest of the test JVM.
            mockApnsServer.reset();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES) // the waits below are bounded by RUN, which grows with COUNT
    void everyRequestGetsExactlyOneResultFromTwoWorkersAndTheOffsetsAreCommittedToTheEnd() throws Exception {
        KafkaTopics topics = new KafkaTopics(environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
        secondWorker = WorkerApplication.start(WorkerApplication.propertiesLike(environment, "worker-2"));
        // Both workers in the group with three partitions each before anything is published: no rebalance mid-run.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, Set<TopicPartition>> assigned = topics.assignments("scale-workers", "scale-requests");
                    return assigned.size() == 2 && assigned.values().stream().allMatch(p -> p.size() == 3);
                });

        long start = System.nanoTime();
        List<String> tokens = new ArrayList<>(COUNT);
        List<CompletableFuture<RecordMetadata>> written = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            String token = KafkaTopics.token(10, i);
            tokens.add(token);
            written.add(publisher.publish(
                    token, Notification.builder().alert("s" + i).build()));
        }
        for (CompletableFuture<RecordMetadata> f : written) {
            f.get(RUN.toSeconds(), TimeUnit.SECONDS);
        }
        long published = System.nanoTime();
        await().atMost(RUN)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> topics.committedOffsets("scale-workers", "scale-requests")
                        .equals(topics.endOffsets("scale-requests")));
        long committed = System.nanoTime();
        log.info(
                "{} requests: published in {} ms, all sent and committed {} ms later",
                COUNT,
                TimeUnit.NANOSECONDS.toMillis(published - start),
                TimeUnit.NANOSECONDS.toMillis(committed - published));

        // A record is acknowledged only once its result is written: committed to the end, every result is there.
        Map<String, List<PushOutcome>> results = new HashMap<>();
        for (ConsumerRecord<String, String> r : topics.readAll("scale-results")) {
            PushOutcome o = PushOutcome.fromJson(r.value());
            results.computeIfAbsent(o.token(), t -> new ArrayList<>()).add(o);
        }
        assertSameTokens(results.keySet(), tokens);
        assertThat(results.values()).allSatisfy(list -> {
            assertThat(list).hasSize(1);
            assertThat(list.get(0).outcome()).isEqualTo(PushOutcome.Kind.ACCEPTED);
        });
        Map<String, Set<Integer>> partitionsByWorker = results.values().stream()
                .map(list -> list.get(0))
                .collect(Collectors.groupingBy(
                        PushOutcome::worker, Collectors.mapping(o -> o.source().partition(), Collectors.toSet())));
        assertThat(partitionsByWorker).containsOnlyKeys("worker-1", "worker-2");
        assertThat(partitionsByWorker.values())
                .allSatisfy(partitions -> assertThat(partitions).hasSize(3));
        Map<String, Long> seen = mockApnsServer.requests().stream()
                .collect(Collectors.groupingBy(RecordedRequest::deviceToken, Collectors.counting()));
        assertSameTokens(seen.keySet(), tokens);
        assertThat(seen.values()).containsOnly(1L);
        assertThat(mockApnsServer.requests()).allMatch(RecordedRequest::accepted);
    }

    /** Asserts that {@code actual} holds exactly {@code expected}, in linear time (AssertJ's comparison is not). */
    private static void assertSameTokens(Set<String> actual, List<String> expected) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(actual);
        Set<String> unexpected = new HashSet<>(actual);
        expected.forEach(unexpected::remove);
        assertThat(missing).as("tokens missing").isEmpty();
        assertThat(unexpected).as("tokens not published").isEmpty();
    }
}
