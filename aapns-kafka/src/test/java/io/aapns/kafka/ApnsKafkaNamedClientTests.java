package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.auth.ClientCertificate;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * A request that names a client {@code watch} is sent through the bean {@code watchApnsClient} (its own credentials and
 * default topic); one without a client through the default client; one naming a client that is not a bean goes to the
 * dead-letter topic with the missing bean's name, and the partition flows on.
 */
@SpringBootTest(
        classes = TestApplication.class,
        properties = {
            "aapns.kafka.requests-topic=named-requests",
        })
@AutoConfigureMockApns
@EmbeddedKafka(
        partitions = 2,
        topics = {"named-requests", "named-results", "named-dlt"},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class ApnsKafkaNamedClientTests {

    static final String WATCH_TOPIC = "com.example.watch";

    @Autowired
    ApnsKafkaPublisher publisher;

    @Autowired
    ApnsClient defaultClient;

    @Autowired
    ApnsKafkaClients clients;

    @Autowired
    PushRequestCodec codec;

    @Autowired
    MockApnsServer mockApnsServer;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void aNamedClientIsTheBeanOfThatNameAndAnUnknownNameIsDeadLettered() throws Exception {
        Path dir = Files.createTempDirectory("named-clients");
        Path p12 = mockApnsServer
                .issueClientCertificate(WATCH_TOPIC)
                .writePkcs12(dir.resolve("watch.p12"), "pw".toCharArray());
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        try (ApnsClient watch = ApnsClient.builder()
                .server(ApnsServer.of(mockApnsServer.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(List.of(mockApnsServer.caCertificate()))
                .topic(WATCH_TOPIC)
                .build()) {
            beans.addBean("watchApnsClient", watch);
            // Of another type: not a client, however it is named.
            beans.addBean("phoneApnsClient", "not a client");
            ApnsKafkaWorker worker = new ApnsKafkaWorker(
                    defaultClient,
                    beans,
                    clients,
                    codec,
                    new ApnsKafkaProperties(
                            "named-requests",
                            "named-results",
                            null,
                            "named-dlt",
                            new ApnsKafkaProperties.Worker(
                                    true,
                                    "named",
                                    "named-1",
                                    1,
                                    100,
                                    null,
                                    Duration.ofSeconds(30),
                                    Duration.ofSeconds(15))));
            String toWatch = KafkaTopics.token(11, 0);
            String toDefault = KafkaTopics.token(11, 1);
            String toTv = KafkaTopics.token(11, 2);
            String toPhone = KafkaTopics.token(11, 3);
            String after = KafkaTopics.token(11, 4);
            Notification n = Notification.builder().alert("hi").build();
            publisher.publish(PushRequest.builder(toWatch, n).client("watch").build());
            publisher.publish(toDefault, n);
            publisher.publish(PushRequest.builder(toTv, n).client("tv").build());
            publisher.publish(PushRequest.builder(toPhone, n).client("phone").build());
            publisher.publish(after, n).get(30, TimeUnit.SECONDS);
            KafkaTopics topics = new KafkaTopics(bootstrapServers);
            worker.start();
            try {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> topics.committedOffsets("named", "named-requests")
                                .equals(topics.endOffsets("named-requests")));
            } finally {
                worker.stop();
            }

            assertThat(mockApnsServer.acceptedRequests())
                    .filteredOn(r -> toWatch.equals(r.deviceToken()))
                    .singleElement()
                    .extracting(r -> r.header("apns-topic"))
                    .isEqualTo(WATCH_TOPIC);
            assertThat(mockApnsServer.acceptedRequests())
                    .filteredOn(r -> toDefault.equals(r.deviceToken()) || after.equals(r.deviceToken()))
                    .hasSize(2)
                    .extracting(r -> r.header("apns-topic"))
                    .containsOnly(defaultClient.topic().orElseThrow());
            assertThat(mockApnsServer.acceptedRequests())
                    .extracting(RecordedRequest::deviceToken)
                    .doesNotContain(toTv, toPhone);
            List<ConsumerRecord<String, String>> dead = topics.readAll("named-dlt");
            assertThat(dead).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(toTv, toPhone);
            assertThat(dead)
                    .filteredOn(r -> toTv.equals(r.key()))
                    .singleElement()
                    .satisfies(r -> assertThat(ApnsKafkaWorkerTests.header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                            .contains("no bean named 'tvApnsClient' of type ApnsClient"));
            assertThat(dead)
                    .filteredOn(r -> toPhone.equals(r.key()))
                    .singleElement()
                    .satisfies(r -> assertThat(ApnsKafkaWorkerTests.header(r, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                            .contains("no bean named 'phoneApnsClient' of type ApnsClient"));
            assertThat(topics.readAll("named-results"))
                    .extracting(r -> PushOutcome.fromJson(r.value()).token())
                    .containsExactlyInAnyOrder(toWatch, toDefault, after);
        }
    }
}
