package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.errors.Reason;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockChannel;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.LiveActivity;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.pool.RetryPolicy;
import io.aapns.testing.BroadcastRejections;
import io.aapns.testing.BroadcastRejections.Fate;
import io.aapns.testing.BroadcastRejections.Rejection;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ApnsClient.broadcast} end to end against the mock server's broadcast path. */
class BroadcastTest {

    static final String TOPIC = ApnsClientTest.TOPIC;
    static final Instant NOW = Instant.parse("2026-12-02T18:00:00Z");

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private MockApnsServer server(MockApnsServer.Builder builder) {
        MockApnsServer server = builder.start();
        closeables.add(server);
        return server;
    }

    private ApnsClient client(MockApnsServer server) {
        Path p12 = server.issueClientCertificate(TOPIC)
                .writePkcs12(dir.resolve(UUID.randomUUID() + ".p12"), "pw".toCharArray());
        ApnsClient client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(100))
                        .build())
                .build();
        closeables.add(0, client);
        return client;
    }

    static Notification update(String score) {
        return Notification.builder()
                .liveActivity(LiveActivity.update()
                        .timestamp(NOW)
                        .contentState(Map.of("score", score))
                        .build())
                .build();
    }

    static PushResult await(java.util.concurrent.CompletableFuture<PushResult> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void broadcastsToAChannelWithApplesHeaders() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel channel = server.createChannel(TOPIC, 1);
        ApnsClient client = client(server);
        UUID requestId = UUID.randomUUID();
        Instant expiration = NOW.plus(Duration.ofHours(1));

        PushResult result = await(client.broadcast(
                channel.id(),
                update("2-1"),
                BroadcastOptions.builder()
                        .expiration(expiration)
                        .priority(Priority.CONSIDER_POWER)
                        .apnsRequestId(requestId)
                        .storagePolicy(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED)
                        .build()));

        assertThat(result.accepted()).isTrue();
        assertThat(result.isBroadcast()).isTrue();
        assertThat(result.apnsRequestId()).hasValue(requestId.toString());
        assertThat(result.apnsId()).isEqualTo(requestId.toString());
        assertThat(result.apnsUniqueId()).isPresent(); // broadcasts carry it in every environment
        List<RecordedRequest> sent = server.broadcasts(channel.id());
        assertThat(sent).hasSize(1);
        RecordedRequest r = sent.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/4/broadcasts/apps/" + TOPIC);
        assertThat(r.header("apns-channel-id")).isEqualTo(channel.id());
        assertThat(r.header("apns-push-type")).isEqualTo("liveactivity");
        assertThat(r.header("apns-expiration")).isEqualTo(Long.toString(expiration.getEpochSecond()));
        assertThat(r.header("apns-priority")).isEqualTo("5");
        assertThat(r.header("apns-request-id")).isEqualTo(requestId.toString());
        assertThat(r.header("apns-topic")).isNull(); // the bundle id is in the path
        assertThat(r.header("apns-id")).isNull();
        assertThat(r.payloadAsString()).contains("\"event\":\"update\"").contains("\"score\":\"2-1\"");
    }

    @Test
    void defaultsAreExpirationZeroPriorityTenAndAGeneratedRequestId() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel channel = server.createChannel(TOPIC, 0);
        ApnsClient client = client(server);

        PushResult first = await(client.broadcast(channel.id(), update("0-0"), BroadcastOptions.defaults()));
        PushResult second = await(client.broadcast(channel.id(), update("1-0"), BroadcastOptions.defaults()));

        assertThat(first.accepted()).isTrue();
        assertThat(UUID.fromString(first.apnsRequestId().orElseThrow())).isNotNull();
        assertThat(first.apnsRequestId()).isNotEqualTo(second.apnsRequestId());
        assertThat(server.broadcasts(channel.id()))
                .extracting(r -> r.header("apns-expiration") + " " + r.header("apns-priority"))
                .containsExactly("0 10", "0 10");
    }

    @Test
    void aLiveActivityEndAndARawPayloadMayBeBroadcast() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel channel = server.createChannel(TOPIC, 0);
        ApnsClient client = client(server);
        Notification end = Notification.builder()
                .liveActivity(LiveActivity.end()
                        .timestamp(NOW)
                        .contentState(Map.of("score", "3-1"))
                        .dismissalDate(NOW)
                        .build())
                .build();

        assertThat(await(client.broadcast(channel.id(), end, BroadcastOptions.defaults()))
                        .accepted())
                .isTrue();
        assertThat(await(client.broadcast(
                                channel.id(),
                                Notification.ofJson(
                                        "{\"aps\":{\"timestamp\":1,\"event\":\"update\"," + "\"content-state\":{}}}"),
                                BroadcastOptions.defaults()))
                        .accepted())
                .isTrue();
        assertThat(server.broadcasts(channel.id())).hasSize(2);
    }

    @Test
    void rejectionsAreValues() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel noStorage = server.createChannel(TOPIC, 0);
        ApnsClient client = client(server);

        PushResult unknown = await(client.broadcast("dW5rbm93bg==", update("x"), BroadcastOptions.defaults()));
        PushResult stored = await(client.broadcast(
                noStorage.id(),
                update("x"),
                BroadcastOptions.builder().expiration(NOW.plusSeconds(60)).build()));

        assertThat(unknown.accepted()).isFalse();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.reason()).hasValue(Reason.CHANNEL_NOT_REGISTERED);
        assertThat(unknown.apnsRequestId()).isPresent();
        assertThat(stored.reason()).hasValue(Reason.BAD_EXPIRATION_DATE);
        assertThatThrownBy(unknown::orThrow).hasMessageContaining("ChannelNotRegistered");
        assertThat(server.broadcasts(noStorage.id())).isEmpty();
        assertThat(server.requests()).hasSize(2); // rejections are never re-sent
    }

    static Stream<Rejection> rejections() {
        return BroadcastRejections.all();
    }

    /**
     * Every error answer Apple lists for broadcasts, scripted on the mock, comes back as the value it is; 429, 500 and
     * 503 are re-sent after a back-off, ExpiredProviderToken once.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void scriptedRejectionsAreReturnedNotResent(Rejection rejection) throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel channel = server.createChannel(TOPIC, 0);
        ApnsClient client = client(server);
        boolean twice = rejection.fate() == Fate.RESENT_ONCE_WITH_A_NEW_TOKEN;
        server.faults().respondNext(twice ? 2 : 1, rejection.status(), rejection.reasonText());

        PushResult result = await(client.broadcast(channel.id(), update("x"), BroadcastOptions.defaults()));

        if (rejection.fate() == Fate.RESENT_AFTER_BACKOFF) {
            assertThat(result.accepted()).isTrue();
            assertThat(server.requests()).hasSize(2);
            assertThat(server.broadcasts(channel.id())).hasSize(1);
            return;
        }
        assertThat(result.status()).isEqualTo(rejection.status());
        assertThat(result.reason()).hasValue(rejection.reason());
        assertThat(result.reasonText()).hasValue(rejection.reasonText());
        assertThat(result.apnsRequestId()).isPresent();
        assertThat(server.requests()).hasSize(twice ? 2 : 1);
        assertThat(server.broadcasts(channel.id())).isEmpty();
    }

    @Test
    void theSameDeliveryRulesAsNotifications() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel channel = server.createChannel(TOPIC, 0);
        ApnsClient client = client(server);

        server.faults().respondNext(1, 503, "ServiceUnavailable");
        PushResult afterBackoff = await(client.broadcast(channel.id(), update("1"), BroadcastOptions.defaults()));
        server.faults().refuseNext(1);
        PushResult afterRefusal = await(client.broadcast(channel.id(), update("2"), BroadcastOptions.defaults()));

        assertThat(afterBackoff.accepted()).isTrue();
        assertThat(afterRefusal.accepted()).isTrue();
        assertThat(server.requests()).hasSize(4);
        assertThat(server.broadcasts(channel.id())).hasSize(2);
        assertThat(client.stats().retried()).containsKeys("ServiceUnavailable", "unprocessed");
    }

    @Test
    void tokenAuthentication() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        KeyPair key = ApnsClientTest.ecKey();
        server.registerSigningKey(ApnsClientTest.TEAM, ApnsClientTest.KEY_ID, key.getPublic());
        MockChannel channel = server.createChannel(TOPIC, 1);
        ApnsClient client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), ApnsClientTest.KEY_ID, ApnsClientTest.TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .build();
        closeables.add(0, client);

        PushResult result = await(client.broadcast(channel.id(), update("1"), BroadcastOptions.defaults()));

        assertThat(result.accepted()).isTrue();
        assertThat(server.broadcasts(channel.id()).get(0).header("authorization"))
                .startsWith("bearer ");
    }

    @Test
    void badInputFailsBeforeAnythingIsSent() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsClient client = client(server);
        BroadcastOptions defaults = BroadcastOptions.defaults();

        assertThatThrownBy(() -> client.broadcast("not base64!", update("x"), defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> client.broadcast(null, update("x"), defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no channel id");
        assertThatThrownBy(() -> client.broadcast(
                        "Y2g=", Notification.builder().alert("hi").build(), defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Live Activit");
        Notification start = Notification.builder()
                .liveActivity(LiveActivity.start()
                        .timestamp(NOW)
                        .contentState(Map.of())
                        .attributesType("Match")
                        .attributes(Map.of())
                        .build())
                .alert("Kick-off")
                .build();
        assertThatThrownBy(() -> client.broadcast("Y2g=", start, defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot start");
        assertThatThrownBy(() -> client.broadcast("Y2g=", update("x".repeat(5200)), defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5120");
        assertThatThrownBy(() -> BroadcastOptions.builder()
                        .storagePolicy(MessageStoragePolicy.NO_MESSAGE_STORED)
                        .expiration(NOW)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only apns-expiration 0");
        assertThatThrownBy(() -> BroadcastOptions.builder().bundleId(TOPIC + ".push-type.liveactivity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bare bundle id");
        ApnsClient noTopic = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(
                        server.issueClientCertificate(TOPIC).writePkcs12(dir.resolve("n.p12"), "pw".toCharArray()),
                        "pw".toCharArray()))
                .trustedCertificates(List.of(server.caCertificate()))
                .build();
        closeables.add(0, noTopic);
        assertThatThrownBy(() -> noTopic.broadcast("Y2g=", update("x"), defaults))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bundle id");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aBundleIdInTheOptionsReplacesTheClientsTopic() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        MockChannel other = server.createChannel("com.example.other", 0);
        ApnsClient client = client(server); // its certificate covers com.example.app only

        PushResult result = await(client.broadcast(
                other.id(),
                update("x"),
                BroadcastOptions.builder().bundleId("com.example.other").build()));

        assertThat(result.reason()).hasValue(Reason.TOPIC_MISMATCH);
        assertThat(server.requests().get(0).path()).isEqualTo("/4/broadcasts/apps/com.example.other");
    }
}
