package io.aapns.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.junit.MockApnsServerExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The broadcast path and the channel management API, checked with the JDK's HTTP/2 client: Apple's answers and the
 * mock's validation rows, one by one.
 */
class BroadcastApiTest {

    static final String APP = JdkClient.TOPIC;
    static final String UPDATE = "{\"aps\":{\"timestamp\":1,\"event\":\"update\",\"content-state\":{}}}";

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.maxChannels(3));

    private JdkClient client;

    @BeforeEach
    void client() {
        client = new JdkClient(apns.server());
    }

    private HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(apns.channelsUri().resolve(path)).timeout(Duration.ofSeconds(20));
    }

    private HttpRequest.Builder create(String body) {
        return management("/1/apps/" + APP + "/channels")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder broadcast(String channelId) {
        return HttpRequest.newBuilder(apns.server().uri().resolve("/4/broadcasts/apps/" + APP))
                .timeout(Duration.ofSeconds(20))
                .header("apns-channel-id", channelId)
                .header("apns-push-type", "liveactivity")
                .header("apns-expiration", "0")
                .header("apns-priority", "10")
                .POST(HttpRequest.BodyPublishers.ofString(UPDATE, StandardCharsets.UTF_8));
    }

    static void assertReason(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo("{\"reason\":\"" + reason + "\"}");
        assertThat(response.headers().firstValue("apns-request-id")).isPresent();
        assertThat(response.headers().firstValue("apns-id")).isEmpty();
    }

    // ---------------------------------------------------------------- channel management

    @Test
    void createReadListDeleteAsAppleDocumentsThem() throws Exception {
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> created =
                client.send(create("{\"message-storage-policy\":1,\"push-type\":\"LiveActivity\"}")
                        .header("apns-request-id", requestId));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEmpty();
        assertThat(created.headers().firstValue("apns-request-id")).hasValue(requestId);
        String id = created.headers().firstValue("apns-channel-id").orElseThrow();
        assertThat(java.util.Base64.getDecoder().decode(id)).hasSize(16);

        HttpResponse<String> read = client.send(management("/1/apps/" + APP + "/channels")
                .header("apns-channel-id", id)
                .GET());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"message-storage-policy\":1,\"push-type\":\"LiveActivity\"}");

        HttpResponse<String> list =
                client.send(management("/1/apps/" + APP + "/all-channels").GET());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo("{\"channels\":[\"" + id + "\"]}");

        HttpResponse<String> deleted = client.send(management("/1/apps/" + APP + "/channels")
                .header("apns-channel-id", id)
                .DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(apns.channels()).isEmpty();
        assertThat(client.send(management("/1/apps/" + APP + "/all-channels").GET())
                        .body())
                .isEqualTo("{\"channels\":[]}");
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''| 400| PayloadEmpty",
                "not json| 400| BadRequestPayload",
                "[1]| 400| BadRequestPayload",
                "{\"message-storage-policy\":1}| 400| BadRequestParams",
                "{\"push-type\":\"LiveActivity\"}| 400| BadRequestParams",
                "{\"message-storage-policy\":1,\"push-type\":\"LiveActivity\",\"name\":\"x\"}| 400| BadRequestParams",
                "{\"message-storage-policy\":2,\"push-type\":\"LiveActivity\"}| 400| BadRequestParams",
                "{\"message-storage-policy\":1,\"push-type\":\"alert\"}| 400| InvalidPushType",
            })
    void createChecksItsBody(String body, int status, String reason) throws Exception {
        assertReason(client.send(create(body)), status, reason);
        assertThat(apns.channels()).isEmpty();
    }

    @Test
    void createAcceptsTheFormsThirdPartyClientsSend() throws Exception {
        assertThat(client.send(create("{\"message-storage-policy\":\"1\",\"push-type\":\"liveactivity\"}"))
                        .statusCode())
                .isEqualTo(201);
        assertThat(apns.channels())
                .singleElement()
                .satisfies(c -> assertThat(c.storagePolicy()).isEqualTo(1));
    }

    @Test
    void theChannelLimitIsPerAppAndConfigurable() throws Exception {
        String body = "{\"message-storage-policy\":0,\"push-type\":\"LiveActivity\"}";
        for (int i = 0; i < 3; i++) {
            assertThat(client.send(create(body)).statusCode()).isEqualTo(201);
        }
        assertReason(client.send(create(body)), 400, "CannotCreateChannelConfig");
        apns.server().createChannel("com.example.other", 0); // another app has its own limit
        apns.server().maxChannels(4);
        assertThat(client.send(create(body)).statusCode()).isEqualTo(201);
        assertThat(apns.server().channels(APP)).hasSize(4);
    }

    @Test
    void readAndDeleteCheckTheChannelId() throws Exception {
        String path = "/1/apps/" + APP + "/channels";
        assertReason(client.send(management(path).GET()), 400, "MissingChannelId");
        assertReason(
                client.send(management(path)
                        .header("apns-channel-id", "not base64!")
                        .GET()),
                400,
                "BadChannelId");
        assertReason(
                client.send(management(path)
                        .header("apns-channel-id", "dW5rbm93bg==")
                        .DELETE()),
                400,
                "ChannelNotRegistered");
        String other = apns.server().createChannel("com.example.other", 0).id();
        assertReason(
                client.send(management(path).header("apns-channel-id", other).GET()), 400, "ChannelNotRegistered");
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
        "PUT, /1/apps/com.example.app/channels, 405, MethodNotAllowed",
        "POST, /1/apps/com.example.app/all-channels, 405, MethodNotAllowed",
        "GET, /1/apps/com.example.app/other, 404, BadPath",
        "GET, /3/device/abc, 404, BadPath",
        "GET, /1/apps/com.example.app.push-type.liveactivity/all-channels, 400, TopicDisallowed",
    })
    void managementPathsAndMethods(String method, String path, int status, String reason) throws Exception {
        HttpRequest.Builder request = management(path).method(method, HttpRequest.BodyPublishers.noBody());
        assertReason(client.send(request), status, reason);
    }

    @Test
    void aBadRequestIdIsRefused() throws Exception {
        assertReason(
                client.send(management("/1/apps/" + APP + "/all-channels")
                        .header("apns-request-id", "not-a-uuid")
                        .GET()),
                400,
                "BadMessageId");
    }

    // ---------------------------------------------------------------- broadcast send

    @Test
    void broadcastsAreAnsweredAndRecordedPerChannel() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        MockChannel other = apns.server().createChannel(APP, 1);
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = client.send(broadcast(channel.id()).header("apns-request-id", requestId));
        client.send(broadcast(other.id()).setHeader("apns-expiration", "1900000000"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("apns-request-id")).hasValue(requestId);
        assertThat(response.headers().firstValue("apns-unique-id")).isPresent();
        assertThat(apns.broadcasts(channel.id())).singleElement().satisfies(r -> {
            assertThat(r.payloadAsString()).isEqualTo(UPDATE);
            assertThat(r.deviceToken()).isNull();
            assertThat(r.apnsId()).isNull();
        });
        assertThat(apns.broadcasts(other.id()))
                .singleElement()
                .satisfies(r -> assertThat(r.header("apns-expiration")).isEqualTo("1900000000"));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
        "apns-push-type, alert, InvalidPushType",
        "apns-priority, 7, BadPriority",
        "apns-expiration, tomorrow, BadExpirationDate",
        "apns-channel-id, not base64!, BadChannelId",
        "apns-channel-id, dW5rbm93bg==, ChannelNotRegistered",
        "apns-request-id, nope, BadMessageId",
    })
    void broadcastChecksItsHeaders(String header, String value, String reason) throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);

        assertReason(client.send(broadcast(channel.id()).setHeader(header, value)), 400, reason);
        assertThat(apns.broadcasts(channel.id())).isEmpty();
    }

    @Test
    void broadcastNeedsChannelPushTypeExpirationAndPriority() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        String path = "/4/broadcasts/apps/" + APP;
        HttpRequest.Builder bare = HttpRequest.newBuilder(apns.server().uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(UPDATE));

        assertReason(client.send(bare.copy()), 400, "MissingChannelId");
        assertReason(client.send(bare.copy().header("apns-channel-id", channel.id())), 400, "MissingPushType");
        assertReason(
                client.send(
                        bare.copy().header("apns-channel-id", channel.id()).header("apns-push-type", "liveactivity")),
                400,
                "BadExpirationDate");
        assertReason(
                client.send(bare.copy()
                        .header("apns-channel-id", channel.id())
                        .header("apns-push-type", "liveactivity")
                        .header("apns-expiration", "0")),
                400,
                "BadPriority");
    }

    @Test
    void aNoMessageStoredChannelTakesOnlyExpirationZero() throws Exception {
        MockChannel noStorage = apns.server().createChannel(APP, 0);
        MockChannel stored = apns.server().createChannel(APP, 1);

        assertReason(
                client.send(broadcast(noStorage.id()).setHeader("apns-expiration", "1900000000")),
                400,
                "BadExpirationDate");
        assertThat(client.send(broadcast(stored.id()).setHeader("apns-expiration", "1900000000"))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void broadcastPayloadRules() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        String big = "{\"aps\":{\"x\":\"" + "a".repeat(5120 - 16) + "\"}}";
        assertThat(big).hasSize(5120);

        assertThat(client.send(broadcast(channel.id()).POST(HttpRequest.BodyPublishers.ofString(big)))
                        .statusCode())
                .isEqualTo(200);
        assertReason(
                client.send(broadcast(channel.id()).POST(HttpRequest.BodyPublishers.ofString(big + " "))),
                413,
                "PayloadTooLarge");
        assertReason(
                client.send(broadcast(channel.id()).POST(HttpRequest.BodyPublishers.ofString(""))),
                400,
                "PayloadEmpty");
        assertReason(
                client.send(broadcast(channel.id()).POST(HttpRequest.BodyPublishers.ofString("nope"))),
                400,
                "BadRequestPayload");
    }

    @Test
    void broadcastPathsAndBundleIds() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        HttpRequest.Builder suffixed = HttpRequest.newBuilder(
                        apns.server().uri().resolve("/4/broadcasts/apps/" + APP + ".push-type.liveactivity"))
                .header("apns-channel-id", channel.id())
                .POST(HttpRequest.BodyPublishers.ofString(UPDATE));
        assertReason(client.send(suffixed), 400, "TopicDisallowed");
        assertReason(
                client.send(HttpRequest.newBuilder(apns.server().uri().resolve("/4/broadcasts/apps/"))
                        .POST(HttpRequest.BodyPublishers.ofString(UPDATE))),
                404,
                "BadPath");
        assertReason(
                client.send(HttpRequest.newBuilder(apns.server().uri().resolve("/4/broadcasts/apps/" + APP))
                        .GET()),
                405,
                "MethodNotAllowed");
    }

    @Test
    void aCertificateMustCoverTheBundleId() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        JdkClient other = new JdkClient(apns.server(), apns.server().issueClientCertificate("com.example.other"));

        assertReason(other.send(broadcast(channel.id())), 403, "TopicMismatch");
        assertReason(
                other.send(create("{\"message-storage-policy\":0,\"push-type\":\"LiveActivity\"}")),
                403,
                "TopicMismatch");
    }

    @Test
    void faultsWorkOnBothPaths() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        apns.server().faults().respondNext(2, 503, "ServiceUnavailable");

        assertReason(client.send(broadcast(channel.id())), 503, "ServiceUnavailable");
        assertReason(client.send(management("/1/apps/" + APP + "/all-channels").GET()), 503, "ServiceUnavailable");
        assertThat(client.send(broadcast(channel.id())).statusCode()).isEqualTo(200);
        assertThat(apns.server().connections())
                .extracting(MockConnection::isManagement)
                .containsExactlyInAnyOrder(false, true);
    }

    /** A scripted error answer means APNs did not do it: no channel is made, none deleted. */
    @Test
    void aScriptedErrorOnCreateOrDeleteLeavesTheChannelsAsTheyWere() throws Exception {
        MockChannel channel = apns.server().createChannel(APP, 0);
        apns.server().faults().respondNext(2, 503, "ServiceUnavailable");

        assertReason(
                client.send(create("{\"message-storage-policy\":1,\"push-type\":\"LiveActivity\"}")),
                503,
                "ServiceUnavailable");
        assertReason(
                client.send(management("/1/apps/" + APP + "/channels")
                        .header("apns-channel-id", channel.id())
                        .DELETE()),
                503,
                "ServiceUnavailable");

        assertThat(apns.channels()).containsExactly(channel);
        // the fault is spent: the same delete now does it
        assertThat(client.send(management("/1/apps/" + APP + "/channels")
                                .header("apns-channel-id", channel.id())
                                .DELETE())
                        .statusCode())
                .isEqualTo(204);
        assertThat(apns.channels()).isEmpty();
    }

    /** A request the mock refuses on its own merits does not use up a scripted answer. */
    @Test
    void aRequestThatFailsValidationKeepsTheScriptedAnswerForTheNext() throws Exception {
        apns.server().faults().respondNext(1, 500, "InternalServerError");

        assertReason(client.send(create("not json")), 400, "BadRequestPayload");
        assertReason(
                client.send(create("{\"message-storage-policy\":0,\"push-type\":\"LiveActivity\"}")),
                500,
                "InternalServerError");
        assertThat(apns.channels()).isEmpty();
    }

    @Test
    void resetForgetsChannels() {
        apns.server().createChannel(APP, 0);
        apns.server().reset();
        assertThat(apns.channels()).isEmpty();
    }
}
