package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.SigningKey;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.LiveActivity;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link PushType} as the client puts it on the wire, checked by the mock server, whose own table of Apple's push
 * types and topic suffixes is written separately from {@code PushType}'s: the header value, the topic with its suffix
 * and a payload that fits the rule of the type (content-changed for widgets and controls, content-available alone for
 * background, the Live Activity keys for liveactivity), with token authentication, which every type allows.
 */
class PushTypesOnTheWireTest {
    static final String TOPIC = ApnsClientTest.TOPIC;
    static final String TOKEN = ApnsClientTest.TOKEN;

    private MockApnsServer server;
    private ApnsClient client;

    @BeforeEach
    void start() throws Exception {
        server = MockApnsServer.builder().start();
        KeyPair key = ApnsClientTest.ecKey();
        server.registerSigningKey(ApnsClientTest.TEAM, ApnsClientTest.KEY_ID, key.getPublic());
        client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), ApnsClientTest.KEY_ID, ApnsClientTest.TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The smallest notification that follows the rule of {@code type}. */
    static Notification notificationFor(PushType type) {
        return switch (type) {
            case ALERT -> Notification.builder().alert("Hi").build();
            case BACKGROUND -> Notification.builder().contentAvailable(true).build();
            case WIDGETS, CONTROLS ->
                Notification.builder().contentChanged(true).build();
            case LIVEACTIVITY ->
                Notification.builder()
                        .liveActivity(LiveActivity.update()
                                .timestamp(Instant.ofEpochSecond(1_700_000_000))
                                .contentState(Map.of("score", "1-0"))
                                .build())
                        .build();
            default -> Notification.builder().customKey("k", "v").build();
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PushType.class, mode = EnumSource.Mode.EXCLUDE, names = "MDM")
    void eachPushTypeGoesToItsTopicAndIsAccepted(PushType type) throws Exception {
        PushResult result = client.send(
                        TOKEN,
                        notificationFor(type),
                        SendOptions.builder().pushType(type).build())
                .get(30, TimeUnit.SECONDS);

        assertThat(result.accepted()).as("%s answered %s", type, result).isTrue();
        RecordedRequest sent = server.requests().get(0);
        assertThat(sent.header("apns-push-type")).isEqualTo(type.headerValue());
        assertThat(sent.header("apns-topic")).isEqualTo(TOPIC + type.topicSuffix());
    }

    /** MDM's topic is the UID of the MDM certificate's subject, not a bundle id with a suffix: the sender gives it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = PushType.class, names = "MDM")
    void anMdmPushGoesToTheTopicTheSenderGives(PushType type) throws Exception {
        String uid = "com.apple.mgmt.External.0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
        PushResult result = client.send(
                        TOKEN,
                        Notification.builder().customKey("mdm", "magic").build(),
                        SendOptions.builder().pushType(type).topic(uid).build())
                .get(30, TimeUnit.SECONDS);

        assertThat(result.accepted()).as("answered %s", result).isTrue();
        assertThat(server.requests().get(0).header("apns-topic")).isEqualTo(uid);
    }

    /** The payload limit of each type: at the limit it goes out, one byte over it is refused before sending. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = PushType.class,
            names = {"ALERT", "VOIP"})
    void thePayloadLimitOfEachType(PushType type) throws Exception {
        String prefix = "{\"aps\":{},\"x\":\"";
        String suffix = "\"}";
        String fits = prefix + "a".repeat(type.maxPayloadBytes() - prefix.length() - suffix.length()) + suffix;
        assertThat(fits).hasSize(type.maxPayloadBytes());

        PushResult atLimit = client.send(
                        TOKEN,
                        Notification.ofJson(fits),
                        SendOptions.builder().pushType(type).build())
                .get(30, TimeUnit.SECONDS);

        assertThat(atLimit.accepted()).as("answered %s", atLimit).isTrue();
        String over = prefix + "a" + fits.substring(prefix.length());
        assertThatThrownBy(() -> client.send(
                        TOKEN,
                        Notification.ofJson(over),
                        SendOptions.builder().pushType(type).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(type.maxPayloadBytes()));
    }
}
