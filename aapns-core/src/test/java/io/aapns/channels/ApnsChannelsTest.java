package io.aapns.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.errors.Reason;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockChannel;
import io.aapns.mock.MockServerListener;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.pool.RetryPolicy;
import io.aapns.testing.BroadcastRejections;
import io.aapns.testing.BroadcastRejections.Fate;
import io.aapns.testing.BroadcastRejections.Rejection;
import io.netty.handler.codec.http2.Http2Error;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Channel management end to end against the mock server's management port. */
class ApnsChannelsTest {

    static final String APP = "com.example.app";

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

    private ApnsChannels.Builder builder(MockApnsServer server, String certificateTopic) {
        Path p12 = server.issueClientCertificate(certificateTopic)
                .writePkcs12(dir.resolve(UUID.randomUUID() + ".p12"), "pw".toCharArray());
        return ApnsChannels.builder()
                .server(ApnsChannelServer.of(server.channelsUri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(List.of(server.caCertificate()))
                .bundleId(APP)
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(100))
                        .build());
    }

    private ApnsChannels channels(ApnsChannels.Builder builder) {
        ApnsChannels channels = builder.build();
        closeables.add(0, channels);
        return channels;
    }

    private ApnsChannels channels(MockApnsServer server) {
        return channels(builder(server, APP));
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the operation to fail");
    }

    static ChannelRejectedException rejected(CompletableFuture<?> f) throws Exception {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(ChannelRejectedException.class);
        return (ChannelRejectedException) t;
    }

    @Test
    void createGetListDelete() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);

        String stored = await(channels.create(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED));
        String notStored = await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(server.channels(APP))
                .extracting(MockChannel::id, MockChannel::storagePolicy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(stored, 1),
                        org.assertj.core.groups.Tuple.tuple(notStored, 0));
        assertThat(await(channels.get(stored)))
                .isEqualTo(new Channel(stored, MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED, "LiveActivity"));
        assertThat(await(channels.get(notStored)).storagePolicy()).isEqualTo(MessageStoragePolicy.NO_MESSAGE_STORED);
        assertThat(await(channels.list())).containsExactly(stored, notStored);

        await(channels.delete(stored));

        assertThat(await(channels.list())).containsExactly(notStored);
        assertThat(server.channels(APP)).extracting(MockChannel::id).containsExactly(notStored);
        List<RecordedRequest> requests = server.requests();
        assertThat(requests)
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly(
                        "POST /1/apps/com.example.app/channels",
                        "POST /1/apps/com.example.app/channels",
                        "GET /1/apps/com.example.app/channels",
                        "GET /1/apps/com.example.app/channels",
                        "GET /1/apps/com.example.app/all-channels",
                        "DELETE /1/apps/com.example.app/channels",
                        "GET /1/apps/com.example.app/all-channels");
        assertThat(requests.get(0).payloadAsString())
                .isEqualTo("{\"message-storage-policy\":1,\"push-type\":\"LiveActivity\"}");
        assertThat(requests.get(0).header("content-type")).isEqualTo("application/json");
        assertThat(requests.get(2).header("apns-channel-id")).isEqualTo(stored);
        assertThat(requests.get(2).payload()).isEmpty();
        assertThat(requests)
                .allSatisfy(r ->
                        assertThat(UUID.fromString(r.header("apns-request-id"))).isNotNull());
        assertThat(server.connections())
                .allSatisfy(c -> assertThat(c.isManagement()).isTrue());
        assertThat(channels.connections()).hasSize(1);
    }

    @Test
    void tokenAuthentication() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        server.registerSigningKey("TEAM123456", "KEY1234567", key.getPublic());
        ApnsChannels channels = channels(ApnsChannels.builder()
                .server(ApnsChannelServer.of(server.channelsUri()))
                .signingKey(SigningKey.of(key.getPrivate(), "KEY1234567", "TEAM123456"))
                .trustedCertificates(List.of(server.caCertificate()))
                .bundleId(APP)
                .poolSize(2));

        String id = await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(await(channels.list())).containsExactly(id);
        assertThat(server.requests())
                .allSatisfy(r -> assertThat(r.header("authorization")).startsWith("bearer "));
    }

    @Test
    void theChannelLimitIsARejection() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder().maxChannels(2));
        ApnsChannels channels = channels(server);
        await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));
        await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        ChannelRejectedException e = rejected(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(e.operation()).isEqualTo(ChannelOperation.CREATE);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo(Reason.CANNOT_CREATE_CHANNEL_CONFIG);
        assertThat(e.apnsRequestId()).isEqualTo(server.requests().get(2).header("apns-request-id"));
        assertThat(e.getMessage()).contains("channel create").contains("CannotCreateChannelConfig");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void unknownAndDeletedChannelsAreRejectionsForReadAndDelete() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);
        String id = await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));
        await(channels.delete(id));

        ChannelRejectedException read = rejected(channels.get(id));
        ChannelRejectedException delete = rejected(channels.delete(id));

        assertThat(read.operation()).isEqualTo(ChannelOperation.READ);
        assertThat(read.reason()).isEqualTo(Reason.CHANNEL_NOT_REGISTERED);
        assertThat(delete.operation()).isEqualTo(ChannelOperation.DELETE);
        assertThat(delete.reason()).isEqualTo(Reason.CHANNEL_NOT_REGISTERED);
        assertThat(await(channels.list())).isEmpty();
    }

    @Test
    void aCertificateForAnotherAppIsTopicMismatch() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(builder(server, "com.example.other"));

        assertThat(rejected(channels.list()).reason()).isEqualTo(Reason.TOPIC_MISMATCH);
        assertThat(rejected(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED))
                        .status())
                .isEqualTo(403);
        assertThat(server.channels()).isEmpty();
    }

    static Stream<Arguments> operationsAndRejections() {
        return Stream.of(ChannelOperation.values())
                .flatMap(op -> BroadcastRejections.all().map(r -> Arguments.of(op, r)));
    }

    /**
     * Each operation reports every error answer Apple lists, scripted on the mock, the one way:
     * ChannelRejectedException with its Reason; 429, 500 and 503 are re-sent after a back-off, ExpiredProviderToken
     * once.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("operationsAndRejections")
    void everyOperationRejectsTheSameWay(ChannelOperation operation, Rejection rejection) throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        String id = server.createChannel(APP, 0).id();
        ApnsChannels channels = channels(server);
        await(channels.ready());
        boolean twice = rejection.fate() == Fate.RESENT_ONCE_WITH_A_NEW_TOKEN;
        server.faults().respondNext(twice ? 2 : 1, rejection.status(), rejection.reasonText());

        CompletableFuture<?> call = switch (operation) {
            case CREATE -> channels.create(MessageStoragePolicy.NO_MESSAGE_STORED);
            case READ -> channels.get(id);
            case LIST -> channels.list();
            case DELETE -> channels.delete(id);
        };

        if (rejection.fate() == Fate.RESENT_AFTER_BACKOFF) {
            await(call);
            assertThat(server.requests()).hasSize(2);
            // done once, by the re-send
            int expected = switch (operation) {
                case CREATE -> 2;
                case DELETE -> 0;
                default -> 1;
            };
            assertThat(server.channels()).hasSize(expected);
            return;
        }
        ChannelRejectedException e = rejected(call);
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.status()).isEqualTo(rejection.status());
        assertThat(e.reason()).isEqualTo(rejection.reason());
        assertThat(e.reasonText()).isEqualTo(rejection.reasonText());
        assertThat(e.apnsRequestId()).matches("[0-9a-f-]{36}");
        assertThat(server.requests()).hasSize(twice ? 2 : 1);
        assertThat(server.channels()).extracting(MockChannel::id).containsExactly(id); // nothing was done
    }

    @Test
    void aCreateWhoseAnswerWasLostFailsSayingSoAndIsNotResent() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);
        await(channels.ready());
        server.faults().resetAfterEndStreamNext(1, Http2Error.INTERNAL_ERROR);

        Throwable t = failure(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(t).isInstanceOf(ChannelOutcomeUnknownException.class);
        ChannelOutcomeUnknownException e = (ChannelOutcomeUnknownException) t;
        assertThat(e.operation()).isEqualTo(ChannelOperation.CREATE);
        assertThat(e.possiblyDelivered()).isTrue();
        assertThat(e.getMessage()).contains("may have made the channel").contains("list()");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCreateUnansweredWithinTheAttemptTimeoutIsNotResentEither() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(builder(server, APP).attemptTimeout(Duration.ofMillis(300)));
        await(channels.ready());
        server.faults().stallNext(1);

        assertThat(failure(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED)))
                .isInstanceOf(ChannelOutcomeUnknownException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aCreateTheServerCertainlyDidNotProcessIsResent() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);
        await(channels.ready());
        server.faults().refuseNext(1);

        String id = await(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(server.channels()).extracting(MockChannel::id).containsExactly(id);
        assertThat(server.requests())
                .extracting(RecordedRequest::outcome)
                .containsExactly(RecordedRequest.Outcome.REFUSED, RecordedRequest.Outcome.ANSWERED);
    }

    @Test
    void aCreateAnsweredWithoutAChannelIdSaysAChannelMayExist() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);
        await(channels.ready());
        server.faults().answerThenResetNext(1, 201);

        Throwable t = failure(channels.create(MessageStoragePolicy.NO_MESSAGE_STORED));

        assertThat(t).hasMessageContaining("no apns-channel-id").hasMessageContaining("list()");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aReadWhoseAnswerWasLostIsResentOnce() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        String id = server.createChannel(APP, 1).id();
        ApnsChannels channels = channels(server);
        await(channels.ready());
        server.faults().resetAfterEndStreamNext(1, Http2Error.INTERNAL_ERROR);

        assertThat(await(channels.get(id)).storagePolicy()).isEqualTo(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED);
        assertThat(server.requests())
                .extracting(RecordedRequest::outcome)
                .containsExactly(RecordedRequest.Outcome.RESET, RecordedRequest.Outcome.ANSWERED);
    }

    @Test
    void aListLostTwiceFailsAfterOneResend() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);
        await(channels.ready());
        server.faults().resetAfterEndStreamNext(2, Http2Error.INTERNAL_ERROR);

        Throwable t = failure(channels.list());

        assertThat(t).isNotInstanceOf(ChannelRejectedException.class);
        assertThat(((io.aapns.errors.ApnsException) t).possiblyDelivered()).isTrue();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aDeleteProcessedButUnansweredThenResentCompletes() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        String id = server.createChannel(APP, 0).id();
        ApnsChannels channels = channels(builder(server, APP).attemptTimeout(Duration.ofMillis(300)));
        await(channels.ready());
        // the first delete is processed and its answer held back past the attempt timeout; the re-send is answered
        // at once, ChannelNotRegistered, since the first one did it
        AtomicInteger received = new AtomicInteger();
        server.faults().delay(Duration.ofSeconds(5));
        server.addListener(new MockServerListener() {
            @Override
            public void requestReceived(RecordedRequest request) {
                if (received.incrementAndGet() == 2) {
                    server.faults().delay(Duration.ZERO);
                }
            }
        });

        await(channels.delete(id));

        assertThat(server.channels()).isEmpty();
        assertThat(server.requests()).extracting(RecordedRequest::reason).containsExactly(null, "ChannelNotRegistered");
    }

    @Test
    void builderSaysWhatIsMissing() {
        assertThatThrownBy(() -> ApnsChannels.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no server");
        assertThatThrownBy(() -> ApnsChannels.builder()
                        .server(ApnsChannelServer.development())
                        .build())
                .hasMessageContaining("no bundle id");
        assertThatThrownBy(() -> ApnsChannels.builder()
                        .server(ApnsChannelServer.development())
                        .bundleId(APP)
                        .build())
                .hasMessageContaining("no credentials");
        assertThatThrownBy(() -> ApnsChannels.builder().bundleId(APP + ".push-type.liveactivity"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApnsChannels.builder().poolSize(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 or 2");
    }

    @Test
    void applesManagementHosts() {
        assertThat(ApnsChannelServer.production().origin())
                .isEqualTo(URI.create("https://api-manage-broadcast.push.apple.com:2196"));
        assertThat(ApnsChannelServer.development().origin())
                .isEqualTo(URI.create("https://api-manage-broadcast.sandbox.push.apple.com:2195"));
        assertThat(ApnsChannelServer.development().isDevelopment()).isTrue();
        assertThat(ApnsChannelServer.production().isDevelopment()).isFalse();
        assertThat(ApnsChannelServer.of(URI.create("https://127.0.0.1:8444"))
                        .origin()
                        .getPort())
                .isEqualTo(8444);
    }

    @Test
    void badChannelIdsFailBeforeAnythingIsSent() throws Exception {
        MockApnsServer server = server(MockApnsServer.builder());
        ApnsChannels channels = channels(server);

        assertThatThrownBy(() -> channels.get("not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> channels.delete("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).isEmpty();
    }
}
