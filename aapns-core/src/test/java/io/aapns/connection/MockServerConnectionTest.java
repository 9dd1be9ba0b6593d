package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SslContexts;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.internal.ApnsHeaders;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.RecordedRequest;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.spi.ApnsListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection engine against aapns-mock-server: real TLS, real HTTP/2, loopback. */
class MockServerConnectionTest {
    static final String TOPIC = "com.example.app";
    static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.requireClientCertificate(true));

    @TempDir
    Path dir;

    private final List<Connection> opened = new ArrayList<>();

    @AfterEach
    void closeConnections() throws Exception {
        for (Connection c : opened) {
            c.close();
            c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        // The server may still be reading what a closed connection sent; a request it reads late
        // would take a "next request" fault that the following test sets. Wait until it is done.
        await().atMost(WAIT).until(() -> apns.server().openConnections().isEmpty());
    }

    ConnectionOptions.Builder options(MockApnsServer server) {
        MockClientCertificate cert = server.issueClientCertificate(TOPIC);
        return ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .clientCertificate(ClientCertificate.fromPkcs12(
                                cert.writePkcs12(dir.resolve("c.p12"), "pw".toCharArray()), "pw".toCharArray()))
                        .trustedCertificates(List.of(server.caCertificate()))
                        .build());
    }

    Connection connect(MockApnsServer server, ConnectionOptions options) throws Exception {
        Connection c = Connection.connect(server.uri(), options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        opened.add(c);
        return c;
    }

    Connection connect() throws Exception {
        return connect(apns.server(), options(apns.server()).build());
    }

    static Request.Builder push() {
        return Request.builder("/3/device/" + TOKEN)
                .header(ApnsHeaders.APNS_TOPIC, TOPIC)
                .header(ApnsHeaders.APNS_PUSH_TYPE, "alert")
                .payload("{\"aps\":{\"alert\":\"hello\"}}")
                .timeout(WAIT);
    }

    static Response answer(CompletableFuture<Response> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<Response> f) {
        Throwable t = catchThrowable(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).as("the request should have failed").isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    static ClosedException closed(CompletableFuture<Response> f) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(ClosedException.class);
        return (ClosedException) t;
    }

    // ---------------------------------------------------------------- answers

    @Test
    void authorizationHeaderIsAddedPerRequestAndAFailingOneFailsOnlyItsRequest() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Connection c = connect(
                apns.server(),
                options(apns.server())
                        .authorization(() -> new Authorization() {
                            @Override
                            public CharSequence headerValue() {
                                if (calls.incrementAndGet() == 1) {
                                    throw new IllegalStateException("signing failed");
                                }
                                return "bearer token-" + calls.get();
                            }

                            @Override
                            public void expired(CharSequence headerValue) {}
                        })
                        .build());

        // a local failure: not a lost connection (a pool would send it again), never retried
        assertThat(failure(c.post(push().build())))
                .isExactlyInstanceOf(ApnsException.class)
                .hasMessageContaining("signing failed");
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);

        assertThat(apns.server().requests())
                .singleElement()
                .satisfies(r -> assertThat(r.header("authorization")).isEqualTo("bearer token-2"));
        assertThat(c.inFlight()).isZero();
    }

    @Test
    void acceptedPushCarriesApnsId() throws Exception {
        Connection c = connect();
        assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
        assertThat(c.connectedSince()).isPresent();
        assertThat(c.maxConcurrentStreams()).isEqualTo(1000);
        Response r = answer(c.post(push().header(ApnsHeaders.APNS_ID, "6c0bb2c2-9b49-4f53-bf0c-b8a7e0a3a4b5")
                .build()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.apnsId()).contains("6c0bb2c2-9b49-4f53-bf0c-b8a7e0a3a4b5");
        RecordedRequest seen = apns.server().requests().get(0);
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.header("apns-topic")).isEqualTo(TOPIC);
        assertThat(seen.payloadAsString()).isEqualTo("{\"aps\":{\"alert\":\"hello\"}}");
        assertThat(c.sentCount()).isEqualTo(1);
        assertThat(c.answeredCount()).isEqualTo(1);
        assertThat(c.failedCount()).isZero();
        assertThat(c.inFlight()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "400, BadCollapseId",
        "403, Forbidden",
        "404, BadPath",
        "405, MethodNotAllowed",
        "413, PayloadTooLarge",
        "429, TooManyRequests",
        "500, InternalServerError",
        "503, ServiceUnavailable",
        "503, Shutdown",
        "400, ReasonAppleInventedYesterday"
    })
    void rejectionsMapToStatusAndReason(int status, String reason) throws Exception {
        apns.server().faults().respondNext(1, status, reason);
        Connection c = connect();
        Response r = answer(c.post(push().build()));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.isSuccessful()).isFalse();
        assertThat(r.reason()).contains(reason);
        assertThat(r.timestamp()).isEmpty();
        assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
    }

    @Test
    void listenerThatWantsNoRequestEventsGetsConnectionEventsOnly() throws Exception {
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger requestEvents = new java.util.concurrent.atomic.AtomicInteger();
        class Counting implements io.aapns.spi.ApnsListener {
            final boolean wants;

            Counting(boolean wants) {
                this.wants = wants;
            }

            @Override
            public boolean wantsRequestEvents() {
                return wants;
            }

            @Override
            public void connectionOpened(Connection connection) {
                opens.incrementAndGet();
            }

            @Override
            public void requestSent(Connection connection, Request request) {
                requestEvents.incrementAndGet();
            }

            @Override
            public void requestAnswered(Connection connection, Request request, Response response, long nanos) {
                requestEvents.incrementAndGet();
            }
        }
        assertThat(io.aapns.spi.ApnsListener.NONE.wantsRequestEvents()).isFalse();
        assertThat(new io.aapns.spi.ApnsListener() {}.wantsRequestEvents()).isTrue();

        Connection quiet = connect(
                apns.server(),
                options(apns.server()).listener(new Counting(false)).build());
        assertThat(answer(quiet.post(push().build())).status()).isEqualTo(200);
        assertThat(opens).hasValue(1);
        assertThat(requestEvents).hasValue(0);

        Connection told = connect(
                apns.server(),
                options(apns.server()).listener(new Counting(true)).build());
        assertThat(answer(told.post(push().build())).status()).isEqualTo(200);
        assertThat(opens).hasValue(2);
        await().untilAsserted(() -> assertThat(requestEvents).hasValue(2));
    }

    @Test
    void serverValidationsComeBackAsAnswers() throws Exception {
        Connection c = connect();
        assertThat(answer(c.post(push().path("/3/device/not-hex").build())).reason())
                .contains("BadDeviceToken");
        assertThat(answer(c.post(push().path("/3/devices/" + TOKEN).build())).status())
                .isEqualTo(404);
        String big = "{\"aps\":{},\"pad\":\"" + "x".repeat(4100) + "\"}";
        Response tooLarge = answer(c.post(push().payload(big).build()));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.reason()).contains("PayloadTooLarge");
    }

    @Test
    void goneTokenCarriesTimestamp() throws Exception {
        Instant since = Instant.parse("2026-01-02T03:04:05.678Z");
        apns.server().markUnregistered(TOKEN, since);
        Response r = answer(connect().post(push().build()));
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.reason()).contains("Unregistered");
        assertThat(r.timestamp()).contains(since);
    }

    // ---------------------------------------------------------------- multiplexing

    @Test
    void thousandConcurrentRequestsMultiplexOnOneConnection() throws Exception {
        Duration delay = Duration.ofMillis(250);
        apns.server().faults().delay(delay);
        // the most requests on the wire at once, as the connection's own events tell it
        java.util.concurrent.atomic.AtomicInteger onTheWire = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostOnTheWire = new java.util.concurrent.atomic.AtomicInteger();
        Connection c = connect(
                apns.server(),
                options(apns.server())
                        .listener(new ApnsListener() {
                            @Override
                            public boolean wantsRequestEvents() {
                                return true;
                            }

                            @Override
                            public void requestSent(Connection connection, Request request) {
                                mostOnTheWire.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
                            }

                            @Override
                            public void requestAnswered(
                                    Connection connection, Request request, Response response, long nanos) {
                                onTheWire.decrementAndGet();
                            }
                        })
                        .build());

        long t0 = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        }
        long sequential = System.nanoTime() - t0;
        assertThat(Duration.ofNanos(sequential)).isGreaterThanOrEqualTo(delay.multipliedBy(4));

        int n = 1000;
        List<CompletableFuture<Response>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            futures.add(c.post(push().build()));
        }
        CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<Response> f : futures) {
            assertThat(f.join().status()).isEqualTo(200);
        }
        // Sequentially one request would be on the wire at a time (1000 x 250 ms = 250 s);
        // multiplexed, hundreds are at once: the server holds each answer for 250 ms.
        assertThat(mostOnTheWire.get()).isGreaterThan(100);
        List<RecordedRequest> seen = apns.server().requests();
        assertThat(seen).hasSize(n + 4);
        assertThat(seen.stream().map(RecordedRequest::connectionId).collect(Collectors.toSet()))
                .hasSize(1);
        assertThat(seen.stream().map(RecordedRequest::streamId).collect(Collectors.toSet()))
                .hasSize(n + 4);
        assertThat(c.answeredCount()).isEqualTo(n + 4);
        assertThat(c.inFlight()).isZero();
    }

    // ---------------------------------------------------------------- stream limits

    @Test
    void fullConnectionIsBlockedUntilTheServerRaisesItsLimit() throws Exception {
        try (MockApnsServer server = MockApnsServer.builder()
                .requireClientCertificate(true)
                .maxConcurrentStreams(1)
                .start()) {
            Connection c = connect(server, options(server).build());
            assertThat(c.maxConcurrentStreams()).isEqualTo(1);
            server.faults().stallNext(1);
            CompletableFuture<Response> first = c.post(push().build());
            Throwable blocked = failure(c.post(push().build()));
            assertThat(blocked).isInstanceOf(BlockedException.class);
            assertThat(((BlockedException) blocked).maxConcurrentStreams()).isEqualTo(1);
            assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);

            // What APNs does once a token is accepted: SETTINGS raising the limit to 1000.
            server.maxConcurrentStreams(1000);
            await().atMost(WAIT).until(() -> c.maxConcurrentStreams() == 1000);
            List<CompletableFuture<Response>> more = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                more.add(c.post(push().build()));
            }
            for (CompletableFuture<Response> f : more) {
                assertThat(answer(f).status()).isEqualTo(200);
            }
            assertThat(first).isNotDone();
            c.close();
            assertThat(closed(first).safeToRetry()).isFalse();
        }
    }

    @Test
    void tokenConnectionStartsWithOneStreamAndFollowsTheRaiseAfterAValidToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        try (MockApnsServer server = MockApnsServer.builder().development(true).start()) {
            server.registerSigningKey("TEAM123456", "KEY1234567", key.getPublic());
            ConnectionOptions o = ConnectionOptions.builder()
                    .sslContext(SslContexts.builder()
                            .trustedCertificates(List.of(server.caCertificate()))
                            .build())
                    .build();
            Connection c = connect(server, o);
            assertThat(c.maxConcurrentStreams()).isEqualTo(1);

            String jwt = jwt(key.getPrivate(), "KEY1234567", "TEAM123456");
            Response first = answer(c.post(
                    push().header(ApnsHeaders.AUTHORIZATION, "bearer " + jwt).build()));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.apnsUniqueId()).isPresent();
            await().atMost(WAIT).until(() -> c.maxConcurrentStreams() == 1000);

            List<CompletableFuture<Response>> futures = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                futures.add(c.post(push().header(ApnsHeaders.AUTHORIZATION, "bearer " + jwt)
                        .build()));
            }
            for (CompletableFuture<Response> f : futures) {
                assertThat(answer(f).status()).isEqualTo(200);
            }
        }
    }

    private static String jwt(PrivateKey key, String keyId, String teamId) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header =
                b64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + keyId + "\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(
                ("{\"iss\":\"" + teamId + "\",\"iat\":" + Instant.now().getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(key);
        signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(signer.sign());
    }

    @Test
    void refusedStreamIsSafeToRetryAndTheConnectionGoesOn() throws Exception {
        apns.server().faults().refuseNext(1);
        Connection c = connect();
        ClosedException refused = closed(c.post(push().build()));
        assertThat(refused.safeToRetry()).isTrue();
        assertThat(refused).hasMessageContaining("REFUSED_STREAM");
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
    }

    @Test
    void exhaustedStreamIdsFailSafelyAndDrainTheConnection() throws Exception {
        Connection c = connect(
                apns.server(),
                options(apns.server()).firstStreamId(Integer.MAX_VALUE - 4).build());
        for (int i = 0; i < 3; i++) {
            assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        }
        assertThat(apns.server().requests().get(2).streamId()).isEqualTo(Integer.MAX_VALUE);
        ClosedException exhausted = closed(c.post(push().build()));
        assertThat(exhausted.safeToRetry()).isTrue();
        assertThat(exhausted).hasMessageContaining("stream ids");
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(closed(c.post(push().build())).safeToRetry()).isTrue();
    }

    // ---------------------------------------------------------------- deadlines

    @Test
    void deadlineResetsTheStreamAndTheConnectionStaysUsable() throws Exception {
        apns.server().faults().stallNext(1);
        Connection c = connect();
        Throwable t = failure(c.post(push().timeout(Duration.ofMillis(300)).build()));
        assertThat(t).isInstanceOf(RequestTimeoutException.class);
        assertThat(((RequestTimeoutException) t).written()).isTrue();
        assertThat(c.inFlight()).isZero();
        // The stalled stream would stay open on the HTTP/2 level unless it was reset.
        await().atMost(WAIT).until(() -> c.handler.wire().openStreams() == 0);
        assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);

        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        List<RecordedRequest> seen = apns.server().requests();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).outcome()).isEqualTo(RecordedRequest.Outcome.STALLED);
        assertThat(seen.get(1).connectionId()).isEqualTo(seen.get(0).connectionId());
        assertThat(c.failedCount()).isEqualTo(1);
    }

    @Test
    void eachRequestTimesOutAtItsOwnDeadlineWhateverTheOrder() throws Exception {
        apns.server().faults().stallNext(3);
        Connection c = connect();
        long start = System.nanoTime();
        CompletableFuture<Response> late =
                c.post(push().timeout(Duration.ofSeconds(4)).build());
        CompletableFuture<Response> early =
                c.post(push().timeout(Duration.ofMillis(300)).build());
        CompletableFuture<Response> middle =
                c.post(push().timeout(Duration.ofMillis(1200)).build());

        // each fails at its own deadline, in deadline order, whatever the order they were posted in
        assertThat(failure(early)).isInstanceOf(RequestTimeoutException.class);
        long earlyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(middle).isNotDone();
        assertThat(late).isNotDone();
        assertThat(failure(middle)).isInstanceOf(RequestTimeoutException.class);
        long middleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(late).isNotDone();
        assertThat(failure(late)).isInstanceOf(RequestTimeoutException.class);
        long lateMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // never before its deadline (monotonic time: these cannot flake)
        assertThat(earlyMs).isGreaterThanOrEqualTo(300L);
        assertThat(middleMs).isGreaterThanOrEqualTo(1200L);
        assertThat(lateMs).isGreaterThanOrEqualTo(4000L);
        assertThat(c.inFlight()).isZero();
        assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
    }

    @Test
    void cancellingTheFutureResetsTheStream() throws Exception {
        apns.server().faults().stallNext(1);
        Connection c = connect();
        CompletableFuture<Response> stuck = c.post(push().build());
        await().atMost(WAIT).until(() -> apns.server().requests().size() == 1);
        assertThat(c.inFlight()).isEqualTo(1);
        assertThat(stuck.cancel(true)).isTrue();
        await().atMost(WAIT).until(() -> c.inFlight() == 0);
        // The stalled stream would stay open on the HTTP/2 level unless it was reset.
        await().atMost(WAIT).until(() -> c.handler.wire().openStreams() == 0);
        assertThat(c.failedCount()).isEqualTo(1);
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
    }

    @Test
    void deadlineAlreadyPassedIsNeverSent() throws Exception {
        Connection c = connect();
        Throwable t =
                failure(c.post(push().deadline(Instant.now().minusSeconds(1)).build()));
        assertThat(t).isInstanceOf(RequestTimeoutException.class);
        assertThat(((RequestTimeoutException) t).written()).isFalse();
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        assertThat(apns.server().requests()).hasSize(1);
    }

    // ---------------------------------------------------------------- GOAWAY and loss

    @Test
    void goAwayLetsStreamsBelowLastStreamIdFinishAndFailsThoseAboveAsSafe() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(500));
        Connection c = connect();
        CompletableFuture<Response> first = c.post(push().build());
        CompletableFuture<Response> second = c.post(push().build());
        await().atMost(WAIT).until(() -> apns.server().requests().size() == 2);
        // The server answers GOAWAY to the third request, with the second as last-stream-id.
        apns.server().faults().goAwayOnNextRequest("Shutdown");
        CompletableFuture<Response> third = c.post(push().build());

        ClosedException above = closed(third);
        assertThat(above.safeToRetry()).isTrue();
        assertThat(above).hasMessageContaining("above the last stream id");
        assertThat(c.goAwayLastStreamId()).hasValue(3);
        assertThat(c.state()).isIn(ConnectionState.DRAINING, ConnectionState.CLOSED);
        assertThat(closed(c.post(push().build())).safeToRetry()).isTrue();

        assertThat(answer(first).status()).isEqualTo(200);
        assertThat(answer(second).status()).isEqualTo(200);
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(c.goAwayReason()).contains("Shutdown");
    }

    @Test
    void goAwayInTheMiddleOfABatchSplitsItAtLastStreamId() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(300)).goAwayAfter(3);
        Connection c = connect();
        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(c.post(push().build()));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(answer(futures.get(i)).status())
                    .as("stream %d", 2 * i + 1)
                    .isEqualTo(200);
        }
        for (int i = 3; i < 6; i++) {
            ClosedException e = closed(futures.get(i));
            assertThat(e.safeToRetry()).as("stream %d", 2 * i + 1).isTrue();
        }
        assertThat(c.goAwayLastStreamId()).hasValue(5);
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(apns.server().acceptedRequests()).hasSize(3);
    }

    @Test
    void goAwayReasonFromDebugDataIsKept() throws Exception {
        apns.server().faults().goAwayOnNextRequest("Shutdown");
        Connection c = connect();
        ClosedException e = closed(c.post(push().build()));
        assertThat(e.safeToRetry()).isTrue();
        assertThat(c.goAwayReason()).contains("Shutdown");
        assertThat(c.lastError()).get().asString().contains("Shutdown");
        assertThat(c.state()).isIn(ConnectionState.DRAINING, ConnectionState.CLOSED);
        assertThat(closed(c.post(push().build())).safeToRetry()).isTrue();
    }

    @Test
    void abruptCloseFailsInFlightRequestsAsPossiblyProcessed() throws Exception {
        apns.server().faults().delay(Duration.ofSeconds(5)).closeAfter(2);
        Connection c = connect();
        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(c.post(push().build()));
        }
        for (CompletableFuture<Response> f : futures) {
            ClosedException e = closed(f);
            assertThat(e.safeToRetry()).isFalse();
        }
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(c.lastError()).isPresent();
        assertThat(c.inFlight()).isZero();
    }

    @Test
    void serverDroppingTheConnectionIsNoticed() throws Exception {
        Connection c = connect();
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        apns.server().openConnections().forEach(mc -> mc.close());
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        ClosedException e = closed(c.post(push().build()));
        assertThat(e.safeToRetry()).isTrue();
    }

    // ---------------------------------------------------------------- closing

    @Test
    void closeFailsInFlightAndLaterRequests() throws Exception {
        apns.server().faults().stallNext(1);
        Connection c = connect();
        CompletableFuture<Response> inFlight = c.post(push().build());
        await().atMost(WAIT).until(() -> apns.server().requests().size() == 1);
        c.close();
        c.close();
        assertThat(closed(inFlight).safeToRetry()).isFalse();
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(closed(c.post(push().build())).safeToRetry()).isTrue();
        assertThat(c.lastError()).isEmpty();
    }

    @Test
    void closeGracefullyLetsInFlightRequestsFinish() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(300));
        Connection c = connect();
        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(c.post(push().build()));
        }
        await().atMost(WAIT).until(() -> c.inFlight() == 5);
        CompletableFuture<Void> done = c.closeGracefully(WAIT);
        assertThat(c.closeGracefully(WAIT)).isSameAs(done);
        await().atMost(WAIT).until(() -> c.state() != ConnectionState.ACTIVE);
        assertThat(closed(c.post(push().build())).safeToRetry()).isTrue();
        for (CompletableFuture<Response> f : futures) {
            assertThat(answer(f).status()).isEqualTo(200);
        }
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
    }

    @Test
    void closeGracefullyGivesUpAfterItsTimeout() throws Exception {
        apns.server().faults().stallNext(1);
        Connection c = connect();
        CompletableFuture<Response> stuck = c.post(push().build());
        await().atMost(WAIT).until(() -> apns.server().requests().size() == 1);
        c.closeGracefully(Duration.ofMillis(200)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        ClosedException e = closed(stuck);
        assertThat(e.safeToRetry()).isFalse();
        assertThat(e).hasMessageContaining("graceful close timed out");
    }

    // ---------------------------------------------------------------- setup

    @Test
    void pemClientCertificateAuthenticates() throws Exception {
        MockClientCertificate cert = apns.server().issueClientCertificate(TOPIC);
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        cert.writePem(certFile, keyFile);
        ConnectionOptions o = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .clientCertificate(ClientCertificate.fromPem(certFile, keyFile))
                        .trustedCertificates(apns.server().caCertificateFile())
                        .build())
                .build();
        Connection c = connect(apns.server(), o);
        assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
        assertThat(apns.server().connections().get(0).clientCertificateTopic()).contains(TOPIC);
    }

    @Test
    void missingClientCertificateIsATlsFailure() {
        ConnectionOptions o = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(List.of(apns.server().caCertificate()))
                        .build())
                .build();
        Throwable t = catchThrowable(
                () -> Connection.connect(apns.server().uri(), o).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectFailedException.class);
        assertThat(((ConnectFailedException) t.getCause()).kind()).isEqualTo(ConnectFailedException.Kind.TLS_FAILED);
    }

    @Test
    void stalledHandshakeIsAHandshakeTimeout() {
        apns.server().faults().stallHandshake(true);
        ConnectionOptions o =
                options(apns.server()).handshakeTimeout(Duration.ofMillis(300)).build();
        Throwable t = catchThrowable(
                () -> Connection.connect(apns.server().uri(), o).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectFailedException.class);
        assertThat(((ConnectFailedException) t.getCause()).kind())
                .isEqualTo(ConnectFailedException.Kind.HANDSHAKE_TIMEOUT);
    }

    @Test
    void bufferPayloadReferenceIsReleasedOnEveryPath() throws Exception {
        byte[] json = "{\"aps\":{\"alert\":\"buffered\"}}".getBytes(StandardCharsets.UTF_8);
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(json);
        try (MockApnsServer server = MockApnsServer.builder()
                .requireClientCertificate(true)
                .maxConcurrentStreams(1)
                .start()) {
            Connection c = connect(server, options(server).build());
            Request request = push().payload(buffer).build();
            // answered
            assertThat(answer(c.post(request)).status()).isEqualTo(200);
            assertThat(buffer.refCnt()).isEqualTo(1);
            // blocked: one stalled stream fills the connection
            server.faults().stallNext(1);
            CompletableFuture<Response> stalled = c.post(request);
            assertThat(failure(c.post(request))).isInstanceOf(BlockedException.class);
            // deadline passed before sending
            assertThat(failure(
                            c.post(request.newBuilder().deadline(Instant.EPOCH).build())))
                    .isInstanceOf(RequestTimeoutException.class);
            // cancelled in flight
            stalled.cancel(true);
            await().atMost(WAIT).until(() -> c.inFlight() == 0);
            // closed
            c.close();
            c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure(c.post(request))).isInstanceOf(ClosedException.class);
            assertThat(buffer.refCnt()).isEqualTo(1);
            assertThat(buffer.readableBytes()).isEqualTo(json.length);
        } finally {
            buffer.release();
        }
    }

    @Test
    void ownEventLoopStopsWhenTheConnectionCloses() throws Exception {
        Connection c = connect();
        assertThat(c.ownedGroup).isNotNull();
        c.closeGracefully(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> c.ownedGroup.isTerminated());
    }

    @Test
    void sharedEventLoopOutlivesItsConnections() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ConnectionOptions o = options(apns.server()).eventLoopGroup(group).build();
            Connection first = connect(apns.server(), o);
            Connection second = connect(apns.server(), o);
            assertThat(first.ownedGroup).isNull();
            first.close();
            first.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer(second.post(push().build())).status()).isEqualTo(200);
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            for (Connection c : opened) {
                c.close();
                c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void refusedHandshakeIsAConnectFailureThatMayBeRetried() {
        apns.server().faults().refuseHandshake(true);
        Throwable t = catchThrowable(() -> Connection.connect(
                        apns.server().uri(), options(apns.server()).build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ConnectFailedException.class);
        ConnectFailedException e = (ConnectFailedException) t.getCause();
        assertThat(e.kind()).isEqualTo(ConnectFailedException.Kind.CONNECT_FAILED);
        assertThat(e.retryable()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"JDK, nio", "JDK, epoll", "OPENSSL, nio", "OPENSSL, epoll"})
    void worksOnEveryTransportAndTlsProvider(SslProvider provider, String transport) throws Exception {
        assumeTrue(provider != SslProvider.OPENSSL || SslContexts.openSslAvailable(), "OpenSSL not available");
        assumeTrue(!transport.equals("epoll") || Transports.epollAvailable(), "epoll not available");
        EventLoopGroup group = transport.equals("epoll")
                ? Transports.newGroup(1, new DefaultThreadFactory("test-epoll", true))
                : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            MockClientCertificate cert = apns.server().issueClientCertificate(TOPIC);
            ConnectionOptions o = ConnectionOptions.builder()
                    .eventLoopGroup(group)
                    .sslContext(SslContexts.builder()
                            .provider(provider)
                            .clientCertificate(ClientCertificate.fromPkcs12(
                                    cert.writePkcs12(dir.resolve("c.p12"), "pw".toCharArray()), "pw".toCharArray()))
                            .trustedCertificates(List.of(apns.server().caCertificate()))
                            .build())
                    .build();
            Connection c = Connection.connect(apns.server().uri(), o).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try {
                assertThat(Transports.channelType(group).getSimpleName())
                        .isEqualTo(transport.equals("epoll") ? "EpollSocketChannel" : "NioSocketChannel");
                assertThat(answer(c.post(push().build())).status()).isEqualTo(200);
            } finally {
                c.closeGracefully(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void listenerHearsTheLifeOfTheConnection() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ApnsListener listener = new ApnsListener() {
            @Override
            public void connectionOpened(Connection connection) {
                events.add("opened");
            }

            @Override
            public void connectionClosed(Connection connection, Throwable cause) {
                events.add("closed " + (cause == null ? "cleanly" : "with error"));
            }

            @Override
            public void requestSent(Connection connection, Request request) {
                events.add("sent");
            }

            @Override
            public void requestAnswered(Connection connection, Request request, Response response, long nanos) {
                events.add("answered " + response.status());
            }

            @Override
            public void requestFailed(Connection connection, Request request, Throwable cause, long nanos) {
                events.add("failed " + cause.getClass().getSimpleName());
            }
        };
        apns.server().faults().respondNext(1, 400, "BadTopic");
        Connection c =
                connect(apns.server(), options(apns.server()).listener(listener).build());
        answer(c.post(push().build()));
        apns.server().faults().stallNext(1);
        failure(c.post(push().timeout(Duration.ofMillis(200)).build()));
        c.closeGracefully(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> events.size() >= 6);
        assertThat(events)
                .containsExactly(
                        "opened", "sent", "answered 400", "sent", "failed RequestTimeoutException", "closed cleanly");
        assertThat(Set.copyOf(events)).doesNotContain("closed with error");
    }

    @Test
    void postWithACallbackReportsEveryOutcomeExactlyOnce() throws Exception {
        Connection c = connect();
        int count = 200;
        java.util.Map<Integer, java.util.concurrent.atomic.AtomicInteger> calls =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.Queue<Integer> statuses = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            c.post(push().build(), (response, failure) -> {
                calls.computeIfAbsent(n, k -> new java.util.concurrent.atomic.AtomicInteger())
                        .incrementAndGet();
                statuses.add(failure == null ? response.status() : -1);
            });
        }
        await().atMost(WAIT).until(() -> statuses.size() == count);
        assertThat(statuses).containsOnly(200);
        assertThat(calls).hasSize(count);
        assertThat(calls.values()).allMatch(n -> n.get() == 1);

        // a callback that throws is logged; the connection goes on
        CompletableFuture<Response> afterThrow = new CompletableFuture<>();
        c.post(push().build(), (response, failure) -> {
            throw new IllegalStateException("a careless callback");
        });
        c.post(push().build(), (response, failure) -> afterThrow.complete(response));
        assertThat(answer(afterThrow).status()).isEqualTo(200);
        assertThat(c.isActive()).isTrue();

        // a closed connection reports at once, on the calling thread
        c.close();
        c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        List<Object> late = new ArrayList<>();
        c.post(push().build(), (response, failure) -> late.add(failure));
        assertThat(late).singleElement().isInstanceOf(ClosedException.class);
    }

    @Test
    void aDeadlineGivenWithThePostReplacesTheRequestsOwnTimeout() throws Exception {
        Connection c = connect();
        // answers come 2 s late; the request itself would wait a minute
        apns.server().faults().delay(Duration.ofSeconds(2));
        Request patient = push().timeout(Duration.ofMinutes(1)).build();

        CompletableFuture<Throwable> passed = new CompletableFuture<>();
        c.post(patient, System.nanoTime() - 1, (response, failure) -> passed.complete(failure));
        assertThat(passed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("before the request was sent");

        CompletableFuture<Throwable> soon = new CompletableFuture<>();
        c.post(patient, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200), (r, failure) -> soon.complete(failure));
        assertThat(soon.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("no answer before the deadline");

        apns.server().faults().delay(Duration.ZERO);
        CompletableFuture<Response> later = new CompletableFuture<>();
        c.post(patient, System.nanoTime() + WAIT.toNanos(), (response, failure) -> later.complete(response));
        assertThat(answer(later).status()).isEqualTo(200);
    }

    @Test
    void theConnectionsTokenReplacesAnAuthorizationHeaderOfTheRequest() throws Exception {
        Connection c = connect(
                apns.server(),
                options(apns.server())
                        .authorization(() -> new Authorization() {
                            @Override
                            public CharSequence headerValue() {
                                return "bearer from-connection";
                            }

                            @Override
                            public void expired(CharSequence headerValue) {}
                        })
                        .build());

        assertThat(answer(c.post(push().header("Authorization", "bearer from-request")
                                .build()))
                        .status())
                .isEqualTo(200);

        assertThat(apns.server().requests())
                .singleElement()
                .satisfies(r -> assertThat(r.headers().get("authorization")).containsExactly("bearer from-connection"));
    }
}
