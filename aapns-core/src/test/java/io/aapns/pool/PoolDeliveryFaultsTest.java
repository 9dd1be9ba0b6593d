package io.aapns.pool;

import static io.aapns.pool.PoolTesting.WAIT;
import static io.aapns.pool.PoolTesting.failure;
import static io.aapns.pool.PoolTesting.options;
import static io.aapns.pool.PoolTesting.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.auth.SslContexts;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.Response;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.testing.TcpProxy;
import io.netty.handler.codec.http2.Http2Error;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pool against the delivery faults of the engine review that need a scripted server: answers followed by a reset,
 * resets before and after END_STREAM, answers too large to read, a half-open connection and a certificate refused after
 * start. Each failed before its fix (the item number is in its comment).
 */
class PoolDeliveryFaultsTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(
            b -> b.recordRequests(true).validateJson(false).gracefulShutdownTimeout(Duration.ofSeconds(5)));

    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    Pool pool(URI origin, PoolOptions options) throws Exception {
        Pool pool = Pool.create(origin, options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        closing.add(0, pool);
        return pool;
    }

    Pool pool(PoolOptions options) throws Exception {
        return pool(apns.server().uri(), options);
    }

    static Response answer(CompletableFuture<Response> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void anAnswerFollowedByAResetIsThatAnswerAndIsNeverResent() throws Exception {
        // item 1: HEADERS :status 200 without END_STREAM, then RST_STREAM CANCEL
        apns.server().faults().answerThenResetNext(1, 200);
        Pool pool = pool(options(apns.server()).size(1).build());

        assertThat(answer(pool.post(push())).status()).isEqualTo(200);
        assertThat(apns.server().requests()).hasSize(1);
        assertThat(pool.stats().retried()).isEmpty();
        assertThat(pool.stats().possibleDuplicates()).isZero();
    }

    @Test
    void aRejectionFollowedByAResetKeepsItsStatusAndReason() throws Exception {
        apns.server().faults().answerThenResetNext(1, 400, "BadDeviceToken");
        Pool pool = pool(options(apns.server()).size(1).build());

        Response response = answer(pool.post(push()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.reason()).contains("BadDeviceToken");
        assertThat(apns.server().requests()).hasSize(1);
    }

    @Test
    void anAnswerFollowedByALostConnectionIsThatAnswer() throws Exception {
        apns.server().faults().answerThenCloseNext(1, 200);
        Pool pool = pool(options(apns.server()).size(1).build());

        assertThat(answer(pool.post(push())).status()).isEqualTo(200);
        assertThat(apns.server().requests()).hasSize(1);
        assertThat(pool.stats().possibleDuplicates()).isZero();
    }

    @Test
    void aResetBeforeTheRequestWentOutWholeIsResentAndIsNoPossibleDuplicate() throws Exception {
        // item 2: the server resets the stream on its HEADERS; a window of 0 keeps our DATA back
        try (MockApnsServer server = MockApnsServer.builder()
                .recordRequests(true)
                .validateJson(false)
                .initialWindowSize(0)
                .start()) {
            server.faults().resetBeforeEndStreamNext(1);
            Pool pool = pool(server.uri(), options(server).size(1).build());

            assertThat(answer(pool.post(push())).status()).isEqualTo(200);
            assertThat(pool.stats().possibleDuplicates()).isZero();
            assertThat(pool.stats().retried()).containsEntry("unprocessed", 1L);
            assertThat(server.acceptedRequests()).hasSize(1);
            pool.close();
        }
    }

    @Test
    void aResetAfterEndStreamIsResentOnceAsAPossibleDuplicate() throws Exception {
        apns.server().faults().resetAfterEndStreamNext(1, Http2Error.CANCEL);
        Pool pool = pool(options(apns.server()).size(1).build());

        assertThat(answer(pool.post(push())).status()).isEqualTo(200);
        assertThat(pool.stats().possibleDuplicates()).isEqualTo(1);
        assertThat(apns.server().requests()).hasSize(2);
    }

    @Test
    void answersTooLargeToReadAreResentAtMostOnce() throws Exception {
        // item 3: every answer carries a 20 KB header block, over the client's limit (a stream
        // error on our side after END_STREAM): before, it was re-sent until the deadline
        apns.server().faults().oversizeResponseHeaders(20_000);
        Pool pool = pool(options(apns.server()).size(1).build());

        Throwable failure = failure(pool.post(push()));

        assertThat(failure).isInstanceOf(ClosedException.class).hasMessageContaining("may have been delivered");
        assertThat(((ClosedException) failure).possiblyDelivered()).isTrue();
        assertThat(apns.server().requests()).hasSize(2);
    }

    @Test
    void aHalfOpenConnectionCostsOneAttemptNotWholeDeadlines() throws Exception {
        // item 4: a pool of 2 behind a relay; one connection freezes (TCP open, nothing moves)
        TcpProxy relay = new TcpProxy(apns.server().port());
        closing.add(relay);
        Pool pool = pool(
                URI.create("https://127.0.0.1:" + relay.port()),
                options(apns.server())
                        .size(2)
                        .attemptTimeout(Duration.ofMillis(500))
                        .connectionOptions(ConnectionOptions.builder()
                                .sslContext(SslContexts.builder()
                                        .trustedCertificates(
                                                List.of(apns.server().caCertificate()))
                                        .build())
                                .pingTimeout(Duration.ofSeconds(1))
                                .build())
                        .build());
        await().atMost(WAIT)
                .until(() -> pool.connections().stream()
                                        .filter(c -> c.state() == ConnectionState.ACTIVE)
                                        .count()
                                == 2
                        && relay.connectionCount() == 2);
        relay.freezeConnection(0);

        List<CompletableFuture<Response>> sends = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sends.add(
                    pool.post(push().newBuilder().timeout(Duration.ofSeconds(4)).build()));
        }
        int accepted = 0;
        for (CompletableFuture<Response> f : sends) {
            try {
                accepted += f.get(WAIT.toSeconds(), TimeUnit.SECONDS).status() == 200 ? 1 : 0;
            } catch (ExecutionException e) {
                // counted below: at most one may fail
            }
        }

        assertThat(accepted).isGreaterThanOrEqualTo(23);
        // the frozen connection did not answer its PING and was replaced
        await().atMost(WAIT)
                .until(() -> relay.connectionCount() >= 3
                        && pool.connections().stream()
                                        .filter(c -> c.state() == ConnectionState.ACTIVE)
                                        .count()
                                == 2);
        assertThat(pool.stats().retried()).containsKey("attempt-timeout");
    }

    @Test
    void aCertificateRefusedAfterStartFailsQueuedRequestsAtOnceWithTheCause() throws Exception {
        // item 10: the connection is lost and every reconnect is refused with bad_certificate
        Pool pool = pool(options(apns.server()).size(1).build());
        assertThat(answer(pool.post(push())).status()).isEqualTo(200);
        apns.server().faults().rejectClientCertificates(true);
        apns.server().closeConnections();
        await().atMost(WAIT).until(() -> pool.connections().get(0).state() != ConnectionState.ACTIVE);

        Throwable failure = failure(
                pool.post(push().newBuilder().timeout(Duration.ofSeconds(50)).build()));

        assertThat(failure)
                .isNotInstanceOf(RequestTimeoutException.class)
                .isInstanceOf(ClosedException.class)
                .hasMessageContaining("can be opened");
        assertThat(failure).hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
        assertThat(failure.getCause()).isInstanceOf(ConnectFailedException.class);
        assertThat(pool.isOpen()).isTrue();
        assertThat(pool.connections().get(0).lastError()).isPresent();

        // the server takes the certificate again: the pool recovers by itself
        apns.server().faults().rejectClientCertificates(false);
        await().atMost(WAIT).until(() -> pool.connections().get(0).state() == ConnectionState.ACTIVE);
        assertThat(answer(pool.post(push())).status()).isEqualTo(200);
    }
}
