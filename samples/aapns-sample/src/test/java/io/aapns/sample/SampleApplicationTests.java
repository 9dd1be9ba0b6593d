package io.aapns.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample as a user meets it: started without credentials, it sends to its embedded mock APNs server over TLS; a
 * push posted over HTTP is accepted, and health and metrics show it over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    private static final String DEVICE = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MockApnsServer mock;

    @Autowired
    ApnsClient client;

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
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void postANotificationThenReadHealthAndMetricsOverHttp() throws Exception {
        assertThat(client.server().origin()).isEqualTo(mock.uri());

        HttpResponse<String> sent = post(
                "/notifications", "{\"token\":\"" + DEVICE + "\",\"title\":\"Hello\",\"body\":\"from the sample\"}");
        assertThat(sent.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(sent.body());
        assertThat(result.get("accepted").asBoolean()).isTrue();
        assertThat(result.get("status").asInt()).isEqualTo(200);
        String apnsId = result.get("apnsId").asString();
        assertThat(result.get("apnsUniqueId").isNull()).isFalse(); // the mock runs as development

        RecordedRequest received = mock.acceptedRequests().stream()
                .filter(r -> apnsId.equals(r.apnsId()))
                .findFirst()
                .orElseThrow();
        assertThat(received.payloadAsString()).contains("\"title\":\"Hello\"").contains("\"body\":\"from the sample\"");

        HttpResponse<String> healthResponse = get("/actuator/health");
        assertThat(healthResponse.statusCode()).isEqualTo(200);
        JsonNode aapns = json.readTree(healthResponse.body()).get("components").get("aapns");
        assertThat(aapns.get("status").asString()).isEqualTo("UP");
        JsonNode components = aapns.get("components");
        assertThat(components.get("pool").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("connection-0").get("details").get("state").asString())
                .isEqualTo("ACTIVE");
        assertThat(components.get("connection-1")).isNotNull();
        assertThat(components.get("certificate").get("details").get("subject").asString())
                .contains("com.example.sample");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> metrics = get("/actuator/metrics/aapns.notifications?tag=outcome:accepted");
            assertThat(metrics.statusCode()).isEqualTo(200);
            JsonNode m = json.readTree(metrics.body());
            assertThat(m.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1.0);
        });
        HttpResponse<String> gauge = get("/actuator/metrics/aapns.connections?tag=state:active");
        assertThat(json.readTree(gauge.body())
                        .get("measurements")
                        .get(0)
                        .get("value")
                        .asDouble())
                .isEqualTo(2.0);
        assertThat(get("/actuator/metrics/aapns.notifications.latency").statusCode())
                .isEqualTo(200);
    }

    private HttpResponse<String> delete(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createAChannelBroadcastToItListAndDeleteIt() throws Exception {
        HttpResponse<String> created = post("/channels", "{\"storagePolicy\":0}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String channelId = json.readTree(created.body()).get("channelId").asString();
        assertThat(mock.channels()).extracting(c -> c.id()).contains(channelId);

        HttpResponse<String> sent =
                post("/broadcasts", "{\"channelId\":\"" + channelId + "\",\"contentState\":{\"score\":\"2-1\"}}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        JsonNode result = json.readTree(sent.body());
        assertThat(result.get("accepted").asBoolean()).isTrue();
        assertThat(mock.broadcasts(channelId))
                .singleElement()
                .satisfies(r -> assertThat(r.payloadAsString()).contains("\"score\":\"2-1\""));

        HttpResponse<String> listed = get("/channels");
        assertThat(json.readTree(listed.body()).get("channels").toString()).contains(channelId);

        HttpResponse<String> deleted = delete("/channels", "{\"channelId\":\"" + channelId + "\"}");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(mock.channels()).extracting(c -> c.id()).doesNotContain(channelId);
        HttpResponse<String> again = delete("/channels", "{\"channelId\":\"" + channelId + "\"}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json.readTree(again.body()).get("reason").asString()).isEqualTo("ChannelNotRegistered");

        JsonNode health = json.readTree(get("/actuator/health").body())
                .get("components")
                .get("aapns")
                .get("components")
                .get("channels");
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("server").asString())
                .isEqualTo(mock.channelsUri().toString());
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> metrics =
                    get("/actuator/metrics/aapns.channels.operations?tag=operation:create&tag=outcome:success");
            assertThat(metrics.statusCode()).isEqualTo(200);
            HttpResponse<String> broadcasts = get("/actuator/metrics/aapns.notifications?tag=kind:broadcast");
            assertThat(broadcasts.statusCode()).isEqualTo(200);
        });
    }

    @Test
    void aRejectionIsAValueAndBadInputIsA400() throws Exception {
        mock.markUnregistered(DEVICE.replace('0', 'f'), java.time.Instant.parse("2026-01-01T00:00:00Z"));
        HttpResponse<String> rejected = post(
                "/notifications",
                "{\"token\":\"" + DEVICE.replace('0', 'f') + "\",\"title\":\"Hi\",\"body\":\"gone\"}");
        assertThat(rejected.statusCode()).isEqualTo(200);
        JsonNode result = json.readTree(rejected.body());
        assertThat(result.get("accepted").asBoolean()).isFalse();
        assertThat(result.get("status").asInt()).isEqualTo(410);
        assertThat(result.get("reason").asString()).isEqualTo("Unregistered");
        assertThat(result.get("timestamp").asString()).isEqualTo("2026-01-01T00:00:00Z");

        HttpResponse<String> bad = post("/notifications", "{\"token\":\"not-hex\",\"title\":\"Hi\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).get("error").asString()).contains("hex");
    }
}
