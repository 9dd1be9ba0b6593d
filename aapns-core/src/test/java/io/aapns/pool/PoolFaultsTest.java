package io.aapns.pool;

import static io.aapns.pool.PoolTesting.TOPIC;
import static io.aapns.pool.PoolTesting.WAIT;
import static io.aapns.pool.PoolTesting.failure;
import static io.aapns.pool.PoolTesting.options;
import static io.aapns.pool.PoolTesting.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.connection.ConnectionState;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ConnectFailedException;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pool against the faults of the engine review: each test failed before its fix (the item number is in its
 * comment).
 */
class PoolFaultsTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(
            b -> b.recordRequests(true).validateJson(false).gracefulShutdownTimeout(Duration.ofSeconds(5)));

    private final List<Pool> pools = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(Pool::close);
    }

    Pool pool(PoolOptions options) throws Exception {
        Pool pool = Pool.create(apns.server().uri(), options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pools.add(pool);
        return pool;
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void raisingTheStreamLimitFromZeroWakesTheQueue() throws Exception {
        // item 6: the server starts at 0 concurrent streams and raises the limit later
        apns.server().maxConcurrentStreams(0);
        Pool pool = pool(options(apns.server()).size(1).build());
        await().atMost(WAIT).until(() -> pool.connections().get(0).maxConcurrentStreams() == 0);
        CompletableFuture<Response> queued = pool.post(push());
        await().atMost(WAIT).until(() -> pool.stats().queued() == 1);

        apns.server().maxConcurrentStreams(10);

        assertThat(queued.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(apns.server().acceptedRequests()).hasSize(1);
    }

    @Test
    void aServerUnreachableAtStartFailsReadyButThePoolKeepsTrying() throws Exception {
        // item 13: unreachable for longer than the start timeout, then up
        int port = freePort();
        MockApnsServer template = apns.server();
        Pool pool = Pool.open(
                java.net.URI.create("https://127.0.0.1:" + port),
                options(template).size(1).startTimeout(Duration.ofMillis(300)).build());
        pools.add(pool);

        assertThat(failure(pool.ready()))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("still trying");
        assertThat(pool.isOpen()).isTrue();

        try (MockApnsServer late =
                MockApnsServer.builder().port(port).certificatesFrom(template).start()) {
            await().atMost(WAIT).until(() -> pool.connections().get(0).state() == ConnectionState.ACTIVE);
            assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                    .isEqualTo(200);
            assertThat(late.acceptedRequests()).hasSize(1);
        }
    }

    @Test
    void closingOnTheStartTimeoutIsAnOptIn() throws Exception {
        int port = freePort();
        Pool pool = Pool.open(
                java.net.URI.create("https://127.0.0.1:" + port),
                options(apns.server())
                        .size(1)
                        .startTimeout(Duration.ofMillis(300))
                        .closeOnStartTimeout(true)
                        .build());
        pools.add(pool);

        assertThat(failure(pool.ready()))
                .isInstanceOf(ConnectFailedException.class)
                .hasMessageContaining("within");
        await().atMost(WAIT).until(() -> !pool.isOpen());
        assertThat(pool.closeCause()).isPresent();
    }

    @Test
    void aConnectionThatKeepsAnswering500IsReplaced() throws Exception {
        // item 11: 5xx in a row on one connection; the policy returns them (no status retries here)
        Pool pool = pool(options(apns.server())
                .size(1)
                .replaceAfterFailures(3)
                .retryPolicy(RetryPolicy.builder().retryStatuses(Set.of()).build())
                .build());
        await().atMost(WAIT).until(() -> apns.server().openConnections().size() == 1);
        apns.server().openConnections().get(0).faults().respondFraction(1.0, 500, "InternalServerError");

        for (int i = 0; i < 3; i++) {
            assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                    .isEqualTo(500);
        }

        await().atMost(WAIT)
                .until(() -> apns.server().connections().size() == 2
                        && pool.connections().get(0).state() == ConnectionState.ACTIVE
                        && pool.connections().get(0).sent() == 0);
        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
    }

    @Test
    void aRequestTooLargeForTheServersHeaderLimitFailsOnceAndIsNeverResent() throws Exception {
        // item 9: a 10 000-digit device token overflows the server's SETTINGS_MAX_HEADER_LIST_SIZE
        Pool pool = pool(options(apns.server()).size(1).build());
        Request huge = Request.builder("/3/device/" + "ab".repeat(5_000))
                .header("apns-topic", TOPIC)
                .payload("{\"aps\":{}}")
                .build();

        Throwable failure = failure(pool.post(huge));

        assertThat(failure)
                .isExactlyInstanceOf(io.aapns.errors.ApnsException.class)
                .hasMessageContaining("SETTINGS_MAX_HEADER_LIST_SIZE")
                .hasMessageContaining("not sent");
        assertThat(((io.aapns.errors.ApnsException) failure).possiblyDelivered())
                .isFalse();
        assertThat(pool.stats().retried()).isEmpty();
        assertThat(apns.server().requests()).isEmpty();
        // the connection is fine: the next request goes through
        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
    }
}
