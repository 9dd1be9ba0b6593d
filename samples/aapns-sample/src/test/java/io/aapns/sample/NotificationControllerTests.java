package io.aapns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.spring.boot.test.AutoConfigureMockApns;
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
 * How an application tests its own push code: {@link AutoConfigureMockApns} points the client at a mock APNs server
 * made for the test (the sample's own embedded mock is switched off), and the test asserts what the server received and
 * injects faults.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.embedded-mock=false")
@AutoConfigureMockApns(authentication = AutoConfigureMockApns.Authentication.TOKEN)
class NotificationControllerTests {

    private static final String DEVICE = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    MockApnsServer mockApnsServer;

    private JsonNode post(String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notifications"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void aPostedNotificationReachesApnsWithTheSamplesTopicAndAToken() throws Exception {
        JsonNode result = post("{\"token\":\"" + DEVICE + "\",\"title\":\"Goal\",\"body\":\"2-1\"}");
        assertThat(result.get("accepted").asBoolean()).isTrue();

        RecordedRequest received = mockApnsServer.acceptedRequests().stream()
                .filter(r -> result.get("apnsId").asString().equals(r.apnsId()))
                .findFirst()
                .orElseThrow();
        assertThat(received.header("apns-topic")).isEqualTo("com.example.sample");
        assertThat(received.header("authorization")).startsWith("bearer ");
        assertThat(received.payloadAsString()).contains("\"title\":\"Goal\"");
    }

    @Test
    void aDeviceTheServerHasForgottenIsReportedAsUnregistered() throws Exception {
        String gone = DEVICE.replace('a', 'e');
        mockApnsServer.markUnregistered(gone, java.time.Instant.parse("2026-06-01T00:00:00Z"));
        JsonNode result = post("{\"token\":\"" + gone + "\",\"title\":\"Hi\",\"body\":\"x\"}");
        assertThat(result.get("accepted").asBoolean()).isFalse();
        assertThat(result.get("reason").asString()).isEqualTo("Unregistered");
    }
}
