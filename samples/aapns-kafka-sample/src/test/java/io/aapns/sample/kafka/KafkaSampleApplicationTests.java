package io.aapns.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.kafka.ApnsKafkaWorker;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockServerListener;
import io.aapns.mock.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka sample as a user meets it: started with its own configuration only, it runs on the embedded Kafka broker
 * and sends to the embedded mock APNs server over TLS. A campaign posted over HTTP is published to Kafka, sent by the
 * worker, and counted in the results; one push reports where it was written; bad input is a 400; health is UP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaSampleApplicationTests {

    static final Duration GENEROUS = Duration.ofSeconds(90);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    /** The device tokens the mock accepted a notification for, and how many times. */
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();

    @LocalServerPort
    int port;

    @Autowired
    MockApnsServer mockApnsServer;

    @Autowired
    ApnsClient client;

    @Autowired
    ApnsKafkaWorker worker;

    @Autowired
    @Qualifier(EmbeddedKafka.BEAN_NAME)
    EmbeddedKafkaBroker embeddedKafka;

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrapServers;

    @BeforeAll
    void watchTheMock() {
        mockApnsServer.addListener(new MockServerListener() {
            @Override
            public void requestReceived(RecordedRequest request) {
                if (request.accepted()) {
                    accepted.merge(request.deviceToken(), 1, Integer::sum);
                }
            }
        });
    }

    /**
     * Waits until each of the worker's three consumers has its share of the six partitions: the group is settled, so no
     * rebalance happens while a test sends and each request is sent exactly once.
     */
    @BeforeEach
    void awaitTheWorkersPartitions() {
        await().atMost(GENEROUS).untilAsserted(() -> {
            Map<String, Collection<TopicPartition>> assignments =
                    worker.container().getAssignmentsByClientId();
            assertThat(assignments)
                    .hasSize(3)
                    .allSatisfy((id, partitions) -> assertThat(partitions).hasSize(2));
        });
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode results() throws Exception {
        HttpResponse<String> response = get("/campaigns/results");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void theAppRunsOnItsEmbeddedKafkaAndMockApns() {
        assertThat(bootstrapServers).isEqualTo(embeddedKafka.getBrokersAsString());
        assertThat(client.server().origin()).isEqualTo(mockApnsServer.uri());
    }

    @Test
    void aCampaignGoesThroughKafkaToApnsAndEveryOutcomeIsCounted() throws Exception {
        JsonNode before = results();
        int count = 2000;

        HttpResponse<String> published = post("/campaigns", "{\"count\":" + count + ",\"title\":\"Big news\"}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        JsonNode campaign = json.readTree(published.body());
        assertThat(campaign.get("published").asInt()).isEqualTo(count);
        String id = campaign.get("campaign").asString();
        assertThat(id).matches("[0-9a-f]{48}");

        await().atMost(GENEROUS).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode now = results();
            assertThat(delta(now, before, "accepted")).isEqualTo(count);
            assertThat(delta(now, before, "mockAccepted")).isEqualTo(count);
        });
        JsonNode after = results();
        assertThat(delta(after, before, "rejected")).isZero();
        assertThat(delta(after, before, "failed")).isZero();
        Map<String, Integer> campaignTokens = Map.copyOf(accepted.entrySet().stream()
                .filter(e -> e.getKey().startsWith(id))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertThat(campaignTokens).hasSize(count);
        assertThat(Set.copyOf(campaignTokens.values())).containsExactly(1);
        assertThat(after.get("worker").get("highestInFlight").asInt()).isBetween(1, 2000);

        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(json.readTree(health.body()).get("status").asString()).isEqualTo("UP");
    }

    @Test
    void onePushIsWrittenToTheRequestsTopicThenSent() throws Exception {
        JsonNode before = results();
        String token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        HttpResponse<String> written =
                post("/pushes", "{\"token\":\"" + token + "\",\"title\":\"Hello\",\"body\":\"via Kafka\"}");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(200);
        JsonNode where = json.readTree(written.body());
        assertThat(where.get("topic").asString()).isEqualTo("push-requests");
        assertThat(where.get("partition").asInt()).isBetween(0, 5);
        assertThat(where.get("offset").asLong()).isNotNegative();

        await().atMost(GENEROUS).untilAsserted(() -> {
            assertThat(delta(results(), before, "accepted")).isEqualTo(1);
            assertThat(accepted).containsKey(token);
        });
    }

    @Test
    void badInputIsA400AndNothingIsPublished() throws Exception {
        HttpResponse<String> tooMany = post("/campaigns", "{\"count\":1000001}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooMany.body()).get("error").asString()).contains("1000000");
        assertThat(post("/campaigns", "{\"count\":0}").statusCode()).isEqualTo(400);
        assertThat(post("/campaigns", "{}").statusCode()).isEqualTo(400);

        HttpResponse<String> badToken = post("/pushes", "{\"token\":\"not-hex\",\"title\":\"Hi\"}");
        assertThat(badToken.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badToken.body()).get("error").asString()).contains("hex");
        assertThat(post("/pushes", "{\"title\":\"Hi\"}").statusCode()).isEqualTo(400);
    }

    private static long delta(JsonNode now, JsonNode before, String field) {
        return now.get(field).asLong() - before.get(field).asLong();
    }
}
