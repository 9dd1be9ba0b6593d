package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.errors.ApnsRejectedException;
import io.aapns.errors.Reason;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.MutableClock;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The high-level client end to end against the mock APNs server, with both kinds of credentials. */
class ApnsClientTest {

    static final String TOPIC = "com.example.app";
    static final String TOKEN = "0123456789abcdef".repeat(4);
    static final String TEAM = "TEAM123456";
    static final String KEY_ID = "KEY1234567";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    MockApnsServer server(MockApnsServer.Builder builder) {
        MockApnsServer server = builder.start();
        closeables.add(server);
        return server;
    }

    ApnsClient client(ApnsClient.Builder builder) {
        ApnsClient client = builder.build();
        closeables.add(0, client);
        return client;
    }

    static PushResult send(ApnsClient client, Notification notification, SendOptions options) throws Exception {
        return client.send(TOKEN, notification, options).get(30, TimeUnit.SECONDS);
    }

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void certificateAuthWithPkcs12() throws Exception {
        MockApnsServer server =
                server(MockApnsServer.builder().requireClientCertificate(true).development(true));
        MockClientCertificate issued = server.issueClientCertificate(TOPIC);
        Path p12 = issued.writePkcs12(dir.resolve("client.p12"), "secret".toCharArray());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "secret".toCharArray()))
                .trustedCertificates(server.caCertificateFile())
                .topic(TOPIC));

        PushResult result = send(
                client,
                Notification.builder().alert("Hello").badge(0).build(),
                SendOptions.builder()
                        .priority(Priority.IMMEDIATE)
                        .collapseId("greeting")
                        .deliverOnce()
                        .build());

        assertThat(result.accepted()).isTrue();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.apnsUniqueId()).isPresent();
        RecordedRequest recorded = server.requests().get(0);
        assertThat(recorded.apnsId()).isEqualTo(result.apnsId());
        assertThat(recorded.header("apns-topic")).isEqualTo(TOPIC);
        assertThat(recorded.header("apns-push-type")).isEqualTo("alert");
        assertThat(recorded.header("apns-priority")).isEqualTo("10");
        assertThat(recorded.header("apns-expiration")).isEqualTo("0");
        assertThat(recorded.header("apns-collapse-id")).isEqualTo("greeting");
        assertThat(recorded.header("authorization")).isNull();
        assertThat(recorded.payloadAsString()).isEqualTo("{\"aps\":{\"alert\":\"Hello\",\"badge\":0}}");
        assertThat(client.clientCertificate())
                .hasValueSatisfying(c -> assertThat(c.subject()).contains(TOPIC));
    }

    @Test
    void certificateAuthWithPem() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        MockClientCertificate issued = server.issueClientCertificate(TOPIC);
        issued.writePem(dir.resolve("client.pem"), dir.resolve("client-key.pem"));
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPem(dir.resolve("client.pem"), dir.resolve("client-key.pem")))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC));

        assertThat(send(client, Notification.builder().alert("Hi").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();
        assertThat(server.connections())
                .allSatisfy(c -> assertThat(c.clientCertificateTopic()).hasValue(TOPIC));
    }

    @Test
    void tokenAuthEndToEnd() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        KeyPair key = ecKey();
        server.registerSigningKey(TEAM, KEY_ID, key.getPublic());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), KEY_ID, TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(2));

        List<PushResult> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(send(client, Notification.builder().alert("n" + i).build(), SendOptions.defaults()));
        }

        assertThat(results).allMatch(PushResult::accepted);
        assertThat(server.requests())
                .allSatisfy(r -> assertThat(r.header("authorization")).startsWith("bearer "));
        // one token per connection
        assertThat(server.requests().stream()
                        .map(r -> r.connectionId() + " " + r.header("authorization"))
                        .distinct())
                .hasSize((int) server.requests().stream()
                        .map(RecordedRequest::connectionId)
                        .distinct()
                        .count());
    }

    @Test
    void wrongKeyIsRejectedAsInvalidProviderToken() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        server.registerSigningKey(TEAM, KEY_ID, ecKey().getPublic());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(ecKey().getPrivate(), KEY_ID, TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC));

        PushResult result = send(client, Notification.builder().alert("Hi").build(), SendOptions.defaults());

        assertThat(result.accepted()).isFalse();
        assertThat(result.status()).isEqualTo(403);
        assertThat(result.reason()).hasValue(Reason.INVALID_PROVIDER_TOKEN);
        assertThatThrownBy(result::orThrow)
                .isInstanceOf(ApnsRejectedException.class)
                .hasMessageContaining("InvalidProviderToken");
    }

    @Test
    void renewsTheTokenAfterItsLifetime() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
        MockApnsServer server = server(MockApnsServer.builder().clock(clock));
        KeyPair key = ecKey();
        server.registerSigningKey(TEAM, KEY_ID, key.getPublic());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), KEY_ID, TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(1)
                .clock(clock)
                .tokenLifetime(Duration.ofMinutes(30)));

        assertThat(send(client, Notification.builder().alert("1").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();
        clock.advance(Duration.ofMinutes(29));
        assertThat(send(client, Notification.builder().alert("2").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(send(client, Notification.builder().alert("3").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();

        List<String> tokens =
                server.requests().stream().map(r -> r.header("authorization")).toList();
        assertThat(tokens.get(1)).isEqualTo(tokens.get(0));
        assertThat(tokens.get(2)).isNotEqualTo(tokens.get(1));
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void expiredProviderTokenGetsANewTokenAndOneResend() throws Exception {
        MutableClock serverClock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
        MutableClock clientClock = new MutableClock(serverClock.instant());
        MockApnsServer server = server(MockApnsServer.builder().clock(serverClock));
        KeyPair key = ecKey();
        server.registerSigningKey(TEAM, KEY_ID, key.getPublic());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), KEY_ID, TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(1)
                .clock(clientClock));
        assertThat(send(client, Notification.builder().alert("1").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();

        // the client's clock runs slow: its token is 30 minutes old to it, 61 to APNs
        clientClock.advance(Duration.ofMinutes(30));
        serverClock.advance(Duration.ofMinutes(61));
        PushResult result = send(client, Notification.builder().alert("2").build(), SendOptions.defaults());

        assertThat(result.accepted()).isTrue();
        assertThat(server.requests())
                .extracting(RecordedRequest::reason)
                .containsExactly(null, "ExpiredProviderToken", null);
        assertThat(client.stats().retried()).containsEntry("ExpiredProviderToken", 1L);
    }

    @Test
    void unregisteredTokenIsARejectionWithTimestamp() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        Instant since = Instant.parse("2026-10-01T08:00:00.123Z");
        server.markUnregistered(TOKEN, since);
        ApnsClient client = certificateClient(server);

        PushResult result = send(client, Notification.builder().alert("Hi").build(), SendOptions.defaults());

        assertThat(result.accepted()).isFalse();
        assertThat(result.status()).isEqualTo(410);
        assertThat(result.reason()).hasValue(Reason.UNREGISTERED);
        assertThat(result.timestamp()).hasValue(since);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void infersPushTypesAndAddsTopicSuffixes() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = certificateClient(server);

        send(client, Notification.builder().contentAvailable(true).build(), SendOptions.defaults());
        send(
                client,
                Notification.builder().alert("call").build(),
                SendOptions.builder().pushType(PushType.VOIP).build());

        assertThat(server.requests()).allMatch(RecordedRequest::accepted);
        assertThat(server.requests().get(0).header("apns-push-type")).isEqualTo("background");
        assertThat(server.requests().get(0).header("apns-topic")).isEqualTo(TOPIC);
        assertThat(server.requests().get(1).header("apns-push-type")).isEqualTo("voip");
        assertThat(server.requests().get(1).header("apns-topic")).isEqualTo(TOPIC + ".voip");
    }

    @Test
    void widgetsAndControlsGoToTheirSuffixedTopicsAndLocationNeedsAToken() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = certificateClient(server);
        Notification changed = Notification.builder().contentChanged(true).build();

        PushResult widgets = send(client, changed, SendOptions.defaults());
        PushResult controls = send(
                client,
                changed,
                SendOptions.builder().pushType(PushType.CONTROLS).build());

        assertThat(widgets.accepted()).isTrue();
        assertThat(controls.accepted()).isTrue();
        assertThat(server.requests().get(0).header("apns-push-type")).isEqualTo("widgets");
        assertThat(server.requests().get(0).header("apns-topic")).isEqualTo(TOPIC + ".push-type.widgets");
        assertThat(server.requests().get(1).header("apns-push-type")).isEqualTo("controls");
        assertThat(server.requests().get(1).header("apns-topic")).isEqualTo(TOPIC + ".push-type.controls");
        assertThatThrownBy(() -> client.send(
                        TOKEN,
                        Notification.builder().customKey("q", 1).build(),
                        SendOptions.builder().pushType(PushType.LOCATION).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("push type location needs token authentication")
                .hasMessageContaining("signingKey");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void rejectsBadInputBeforeSending() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = certificateClient(server);
        Notification ok = Notification.builder().alert("Hi").build();

        assertThatThrownBy(() -> client.send("not a token", ok)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.send(
                        TOKEN, Notification.builder().alert("x".repeat(5000)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
        assertThatThrownBy(() -> SendOptions.builder().collapseId("c".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class);
        ApnsClient noTopic = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(pkcs12(server))
                .trustedCertificates(List.of(server.caCertificate())));
        assertThatThrownBy(() -> noTopic.send(TOKEN, ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topic");
        assertThat(server.requests()).isEmpty();
        // pasted tokens are cleaned: spaces and angle brackets go
        assertThat(client.send("<" + TOKEN.substring(0, 8) + " " + TOKEN.substring(8) + ">", ok)
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
    }

    @Test
    void overlongTokensAndTopicsAndUnsendableHeaderValuesFailBeforeSending() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = certificateClient(server);
        Notification ok = Notification.builder().alert("Hi").build();

        assertThatThrownBy(() -> client.send("0".repeat(10_000), ok))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 200 hex digits");
        assertThatThrownBy(() -> client.send(
                        TOKEN,
                        ok,
                        SendOptions.builder().topic("a".repeat(9_000)).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
        assertThatThrownBy(() -> ApnsClient.builder().topic("a".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
        // the push type's suffix counts too: 251 characters + ".voip" is 256
        assertThatThrownBy(() -> client.send(
                        TOKEN,
                        ok,
                        SendOptions.builder()
                                .topic("a".repeat(251))
                                .pushType(PushType.VOIP)
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
        assertThatThrownBy(() -> SendOptions.builder().collapseId("a\tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apns-collapse-id")
                .hasMessageContaining("U+0009 at index 1");
        assertThatThrownBy(() -> SendOptions.builder().collapseId(" greeting"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("space");
        assertThatThrownBy(() -> SendOptions.builder().collapseId("caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+00E9 at index 3");

        // the longest token and topic allowed still make a request that goes out (and gets APNs' answer)
        PushResult longest = client.send(
                        "ab".repeat(100),
                        ok,
                        SendOptions.builder()
                                .topic("com." + "a".repeat(251))
                                .collapseId("score update")
                                .build())
                .get(30, TimeUnit.SECONDS);
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).header("apns-collapse-id")).isEqualTo("score update");
        assertThat(longest.status()).isEqualTo(server.requests().get(0).status());
    }

    @Test
    void builderSaysWhatIsMissing() {
        assertThatThrownBy(() -> ApnsClient.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("server");
        assertThatThrownBy(() ->
                        ApnsClient.builder().server(ApnsServer.development()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("credentials");
        assertThatThrownBy(() -> ApnsClient.builder().tokenLifetime(Duration.ofMinutes(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsOwnApnsIdAndClosesGracefully() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = certificateClient(server);
        UUID id = UUID.randomUUID();

        PushResult result = send(
                client,
                Notification.builder().alert("Hi").build(),
                SendOptions.builder().apnsId(id).build());
        client.closeGracefully(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);

        assertThat(result.apnsId()).isEqualTo(id.toString());
        assertThat(client.isOpen()).isFalse();
        assertThat(client.ready()).isCompleted();
    }

    @Test
    void serversAreApples() {
        assertThat(ApnsServer.production().origin().toString()).isEqualTo("https://api.push.apple.com");
        assertThat(ApnsServer.development().origin().toString()).isEqualTo("https://api.sandbox.push.apple.com");
        assertThat(ApnsServer.production().altPort().origin().toString()).isEqualTo("https://api.push.apple.com:2197");
        assertThat(ApnsServer.development().isDevelopment()).isTrue();
        assertThatThrownBy(() -> ApnsServer.of(java.net.URI.create("http://example.com")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    ClientCertificate pkcs12(MockApnsServer server) {
        Path p12 = server.issueClientCertificate(TOPIC)
                .writePkcs12(dir.resolve(UUID.randomUUID() + ".p12"), "pw".toCharArray());
        return ClientCertificate.fromPkcs12(p12, "pw".toCharArray());
    }

    ApnsClient certificateClient(MockApnsServer server) {
        return client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(pkcs12(server))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC));
    }

    @Test
    void aSendObserverSeesTheStartOnTheCallersThreadEachResendAndTheEnd() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        SendObserver observer = send -> {
            events.add("started " + send.operation() + " " + send.pushType() + " " + send.topic() + " on "
                    + Thread.currentThread().getName());
            return new SendObserver.ObservedSend() {
                @Override
                public void retried(int attempt, String reason, java.time.Duration delay) {
                    events.add("retried " + attempt + " " + reason);
                }

                @Override
                public void ended(PushResult result, Throwable failure) {
                    events.add("ended " + (result != null ? result.status() + " " + result.apnsId() : failure));
                }
            };
        };
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(pkcs12(server))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .retryPolicy(io.aapns.pool.RetryPolicy.builder()
                        .initialBackoff(java.time.Duration.ofMillis(10))
                        .maxBackoff(java.time.Duration.ofMillis(50))
                        .build())
                .sendObserver(observer));
        server.faults().respondNext(1, 503, "ServiceUnavailable");
        java.util.UUID id = java.util.UUID.randomUUID();
        PushResult result = send(
                client,
                Notification.builder().alert("Hi").build(),
                SendOptions.builder().apnsId(id).build());

        assertThat(result.accepted()).isTrue();
        assertThat(events)
                .containsExactly(
                        "started send ALERT " + TOPIC + " on "
                                + Thread.currentThread().getName(),
                        "retried 1 ServiceUnavailable",
                        "ended 200 " + id);
    }

    @Test
    void frameLoggingWithTokenAuthenticationStillSends() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        KeyPair key = ecKey();
        server.registerSigningKey("TEAM123456", "KEY1234567", key.getPublic());
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), "KEY1234567", "TEAM123456"))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .frameLogging(true));
        assertThat(send(client, Notification.builder().alert("Hi").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();
    }

    @Test
    void logsShowAShortenedToken() {
        assertThat(WireValues.shortToken("/3/device/0123456789abcdef0123")).isEqualTo("01234567\u2026");
        assertThat(WireValues.shortToken("/3/device/0123")).isEqualTo("0123");
    }

    @Test
    void anObserverThatThrowsDoesNotStopTheSend() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().requireClientCertificate(true));
        ApnsClient client = client(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(pkcs12(server))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .sendObserver(send -> {
                    throw new IllegalStateException("on purpose");
                }));
        assertThat(send(client, Notification.builder().alert("Hi").build(), SendOptions.defaults())
                        .accepted())
                .isTrue();
    }

    @Test
    void devicePathIsTheTokenInLowerCaseWhateverItsForm() {
        String token = "0123456789ABCDEFabcdef" + "0".repeat(42);
        assertThat(WireValues.devicePath(token).toString()).isEqualTo("/3/device/" + token.toLowerCase());
        assertThat(WireValues.devicePath("<0123 4567 89AB cdef>").toString()).isEqualTo("/3/device/0123456789abcdef");
        assertThatThrownBy(() -> WireValues.devicePath("01234g"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'g' at index 5");
        assertThatThrownBy(() -> WireValues.devicePath("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 hex digits");
        assertThatThrownBy(() -> WireValues.devicePath(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WireValues.devicePath(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        // the fast path for clean tokens keeps the limit too
        assertThat(WireValues.devicePath("AB".repeat(100)).toString()).isEqualTo("/3/device/" + "ab".repeat(100));
        assertThatThrownBy(() -> WireValues.devicePath("ab".repeat(101)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("202 hex digits")
                .hasMessageContaining("more than 200");
    }

    @Test
    void generatedApnsIdsAreVersionFourUuidsAndDoNotRepeat() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = WireValues.newApnsId().toString();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(seen.add(id)).as("id %s repeated", id).isTrue();
        }
    }
}
