package io.aapns.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.junit.MockApnsServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Apple's validation rules, checked with the JDK's HTTP/2 client. */
class ValidationTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.development(true));

    private JdkClient client;

    @BeforeEach
    void client() {
        client = new JdkClient(apns.server());
    }

    @Test
    void acceptsAValidPushAndEchoesItsId() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpResponse<String> response = client.send(client.push()
                .header("apns-id", id)
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-expiration", "0"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("apns-id")).hasValue(id);
        assertThat(response.headers().firstValue("apns-unique-id"))
                .hasValueSatisfying(
                        unique -> assertThat(UUID.fromString(unique)).isNotNull());
        assertThat(response.body()).isEmpty();
        RecordedRequest recorded = apns.server().requests().get(0);
        assertThat(recorded.accepted()).isTrue();
        assertThat(recorded.deviceToken()).isEqualTo(JdkClient.TOKEN);
        assertThat(recorded.header("apns-topic")).isEqualTo(JdkClient.TOPIC);
        assertThat(recorded.payloadAsString()).isEqualTo(JdkClient.ALERT);
        assertThat(recorded.apnsId()).isEqualTo(id);
    }

    @Test
    void generatesAnIdWhenTheRequestHasNone() throws Exception {
        HttpResponse<String> response = client.send(client.push());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(UUID.fromString(response.headers().firstValue("apns-id").orElseThrow()))
                .isNotNull();
    }

    @Test
    void productionAnswersWithoutUniqueId() throws Exception {
        try (MockApnsServer production = MockApnsServer.builder().start()) {
            HttpResponse<String> response = new JdkClient(production).send(new JdkClient(production).push());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("apns-unique-id")).isEmpty();
        }
    }

    @Test
    void onlyPostIsAllowed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(client.uri("/3/device/" + JdkClient.TOKEN))
                .header("apns-topic", JdkClient.TOPIC)
                .GET());

        assertError(response, 405, "MethodNotAllowed");
    }

    @ParameterizedTest
    @CsvSource({
        "/3/notifications/abc, 404, BadPath",
        "/2/device/aa, 404, BadPath",
        "/3/device/, 400, MissingDeviceToken",
        "/3/device, 400, MissingDeviceToken",
        "/3/device/not-hex-at-all-not-hex-at-all-not-hex-at-all-not-hex-at-all-xx, 400, BadDeviceToken",
        "/3/device/abcd, 400, BadDeviceToken",
    })
    void checksThePath(String path, int status, String reason) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(client.uri(path))
                .header("apns-topic", JdkClient.TOPIC)
                .POST(HttpRequest.BodyPublishers.ofString(JdkClient.ALERT)));

        assertError(response, status, reason);
    }

    @Test
    void oddLengthTokenIsBad() throws Exception {
        assertError(
                client.send(client.push("a".repeat(65), JdkClient.ALERT).header("apns-topic", "t")),
                400,
                "BadDeviceToken");
    }

    @ParameterizedTest
    @CsvSource({
        "apns-id, not-a-uuid, BadMessageId",
        "apns-priority, 7, BadPriority",
        "apns-push-type, telepathy, InvalidPushType",
        "apns-expiration, tomorrow, BadExpirationDate",
        "apns-expiration, -5, BadExpirationDate",
        "apns-topic, com example, BadTopic",
    })
    void checksHeaders(String header, String value, String reason) throws Exception {
        HttpRequest.Builder request =
                client.push(JdkClient.TOKEN, JdkClient.ALERT).header(header, value);
        if (!header.equals("apns-topic")) {
            request.header("apns-topic", JdkClient.TOPIC);
        }
        assertError(client.send(request), 400, reason);
    }

    @ParameterizedTest
    @CsvSource({"10", "5", "1"})
    void acceptsApplesPriorities(String priority) throws Exception {
        assertThat(client.send(client.push().header("apns-priority", priority)).statusCode())
                .isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({"alert", "background", "mdm"})
    void acceptsPushTypesWithoutSuffix(String pushType) throws Exception {
        assertThat(client.send(client.push().header("apns-push-type", pushType)).statusCode())
                .isEqualTo(200);
    }

    /** Apple's list: each of these types goes to the bundle id with its suffix, and the bare bundle id is refused. */
    @ParameterizedTest
    @CsvSource({
        "voip, .voip",
        "complication, .complication",
        "fileprovider, .pushkit.fileprovider",
        "liveactivity, .push-type.liveactivity",
        "pushtotalk, .voip-ptt",
        "widgets, .push-type.widgets",
        "controls, .push-type.controls",
    })
    void pushTypesWithASuffixNeedItOnTheTopic(String pushType, String suffix) throws Exception {
        assertThat(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)
                                .header("apns-topic", JdkClient.TOPIC + suffix)
                                .header("apns-push-type", pushType))
                        .statusCode())
                .isEqualTo(200);
        assertError(client.send(client.push().header("apns-push-type", pushType)), 400, "DeviceTokenNotForTopic");
    }

    @Test
    void collapseIdUpTo64Bytes() throws Exception {
        assertThat(client.send(client.push().header("apns-collapse-id", "c".repeat(64)))
                        .statusCode())
                .isEqualTo(200);
        assertError(client.send(client.push().header("apns-collapse-id", "c".repeat(65))), 400, "BadCollapseId");
    }

    @Test
    void missingTopic() throws Exception {
        assertError(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)), 400, "MissingTopic");
    }

    @Test
    void duplicateHeaders() throws Exception {
        HttpResponse<String> response = client.send(client.push().header("apns-topic", "com.example.other"));

        assertError(response, 400, "DuplicateHeaders");
    }

    @Test
    void payloadRules() throws Exception {
        assertError(
                client.send(client.push(JdkClient.TOKEN, "").header("apns-topic", JdkClient.TOPIC)),
                400,
                "PayloadEmpty");
        assertError(
                client.send(client.push(JdkClient.TOKEN, "not json").header("apns-topic", JdkClient.TOPIC)),
                400,
                "BadPayload");
        assertError(
                client.send(client.push(JdkClient.TOKEN, "[1,2]").header("apns-topic", JdkClient.TOPIC)),
                400,
                "BadPayload");
    }

    @ParameterizedTest
    @CsvSource({"alert, com.example.app, 4096", "voip, com.example.app.voip, 5120"})
    void payloadSizeLimitPerPushType(String pushType, String topic, int limit) throws Exception {
        assertThat(client.send(client.push(JdkClient.TOKEN, payloadOfSize(limit))
                                .header("apns-topic", topic)
                                .header("apns-push-type", pushType))
                        .statusCode())
                .isEqualTo(200);
        assertError(
                client.send(client.push(JdkClient.TOKEN, payloadOfSize(limit + 1))
                        .header("apns-topic", topic)
                        .header("apns-push-type", pushType)),
                413,
                "PayloadTooLarge");
    }

    @Test
    void unregisteredTokenAnswers410WithTimestamp() throws Exception {
        Instant since = Instant.parse("2026-01-02T03:04:05.678Z");
        apns.server().markUnregistered(JdkClient.TOKEN, since);

        HttpResponse<String> response = client.send(client.push());

        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(response.body())
                .isEqualTo("{\"reason\":\"Unregistered\",\"timestamp\":" + since.toEpochMilli() + "}");
    }

    @Test
    void expiredToken() throws Exception {
        apns.server().markExpired(JdkClient.TOKEN.toUpperCase());

        assertError(client.send(client.push()), 410, "ExpiredToken");
    }

    @Test
    void tokenBoundToAnotherTopic() throws Exception {
        apns.server().bindToTopic(JdkClient.TOKEN, "com.example.other");

        assertError(client.send(client.push()), 400, "DeviceTokenNotForTopic");
    }

    @Test
    void boundTokenNeedsThePushTypesSuffix() throws Exception {
        apns.server().bindToTopic(JdkClient.TOKEN, JdkClient.TOPIC);

        assertError(
                client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)
                        .header("apns-topic", JdkClient.TOPIC)
                        .header("apns-push-type", "voip")),
                400,
                "DeviceTokenNotForTopic");
        assertThat(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)
                                .header("apns-topic", JdkClient.TOPIC + ".voip")
                                .header("apns-push-type", "voip"))
                        .statusCode())
                .isEqualTo(200);
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void resetForgetsTokenStatesAndRecords() throws Exception {
        apns.server().markExpired(JdkClient.TOKEN);
        client.send(client.push());
        assertThat(apns.server().requests()).hasSize(1);

        apns.server().reset();

        assertThat(apns.server().requests()).isEmpty();
        assertThat(apns.server().connections()).isEmpty();
        JdkClient fresh = new JdkClient(apns.server());
        assertThat(fresh.send(fresh.push()).statusCode()).isEqualTo(200);
        assertThat(apns.server().connections()).extracting(MockConnection::id).containsExactly(1);
    }

    static String payloadOfSize(int size) {
        String prefix = "{\"aps\":{\"alert\":\"";
        String suffix = "\"}}";
        return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
    }

    static void assertError(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo("{\"reason\":\"" + reason + "\"}");
        assertThat(response.headers().firstValue("apns-id")).isPresent();
    }
}
