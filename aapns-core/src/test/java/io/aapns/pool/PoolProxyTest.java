package io.aapns.pool;

import static io.aapns.pool.PoolTesting.WAIT;
import static io.aapns.pool.PoolTesting.failure;
import static io.aapns.pool.PoolTesting.options;
import static io.aapns.pool.PoolTesting.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.ProxyOptions;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.mock.MockProxy;
import io.aapns.mock.junit.MockApnsServerExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A pool whose connections go through a proxy: the proxy failing at start, and dying mid-run. */
class PoolProxyTest {

    @RegisterExtension
    static MockApnsServerExtension apns =
            new MockApnsServerExtension(b -> b.recordRequests(true).validateJson(false));

    private final List<Pool> pools = new CopyOnWriteArrayList<>();
    private final List<MockProxy> proxies = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(Pool::close);
        proxies.forEach(MockProxy::close);
    }

    static InetSocketAddress upstream() {
        return new InetSocketAddress(
                InetAddress.getLoopbackAddress(), apns.server().port());
    }

    MockProxy start(MockProxy.Builder builder) {
        MockProxy proxy = builder.start();
        proxies.add(proxy);
        return proxy;
    }

    PoolOptions.Builder through(ProxyOptions proxy) {
        PoolOptions.Builder b = options(apns.server());
        ConnectionOptions connection =
                b.build().connectionOptions().newBuilder().proxy(proxy).build();
        return b.connectionOptions(connection);
    }

    static Stream<String> types() {
        return Stream.of("http", "socks5");
    }

    static MockProxy.Builder proxyOf(String type) {
        return type.equals("http") ? MockProxy.http(upstream()) : MockProxy.socks5(upstream());
    }

    static ProxyOptions optionsOf(String type, int port) {
        return type.equals("http") ? ProxyOptions.http("127.0.0.1", port) : ProxyOptions.socks5("127.0.0.1", port);
    }

    @Test
    void wrongProxyCredentialsFailTheStartAtOnceWithTheCause() throws Exception {
        MockProxy proxy = start(MockProxy.http(upstream()).credentials("push", "s3cret"));
        Pool pool = Pool.open(
                apns.server().uri(),
                through(ProxyOptions.builder(ProxyOptions.Type.HTTP, "127.0.0.1", proxy.port())
                                .credentials("push", "wrong")
                                .build())
                        .size(2)
                        .startTimeout(Duration.ofSeconds(30))
                        .build());
        pools.add(pool);

        Throwable cause = failure(pool.ready());

        assertThat(cause).isInstanceOf(ConnectFailedException.class);
        assertThat(((ConnectFailedException) cause).kind()).isEqualTo(ConnectFailedException.Kind.PROXY_AUTH_FAILED);
        assertThat(cause).hasMessageContaining("refused the user name and password");
        await().atMost(WAIT).until(() -> !pool.isOpen());
        assertThat(pool.closeCause()).isPresent();
    }

    @Test
    void aProxyDownAtStartShowsInHealthAndThePoolConnectsOnceItIsUp() throws Exception {
        MockProxy placeholder = MockProxy.http(upstream()).start();
        int port = placeholder.port();
        placeholder.close();
        Pool pool = Pool.open(
                apns.server().uri(),
                through(ProxyOptions.http("127.0.0.1", port)).size(1).build());
        pools.add(pool);

        await().atMost(WAIT)
                .until(() ->
                        pool.connections().get(0).lastError().orElse("").contains("cannot connect to the HTTP proxy"));
        CompletableFuture<Response> waiting = pool.post(push());

        start(MockProxy.http(upstream()).port(port));

        assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> pool.connections().get(0).state() == ConnectionState.ACTIVE);
    }

    @ParameterizedTest
    @MethodSource("types")
    void aProxyThatDiesMidRunLosesNothing(String type) throws Exception {
        MockProxy proxy = start(proxyOf(type));
        int port = proxy.port();
        Pool pool = Pool.create(
                        apns.server().uri(),
                        through(optionsOf(type, port))
                                .size(2)
                                .requestTimeout(Duration.ofSeconds(30))
                                .build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pools.add(pool);
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(pool.post(push()));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(proxy.tunnelCount()).isEqualTo(2);

        // Killed with 50 requests in flight (the server holds their answers): the connections through it are lost.
        apns.server().faults().stallAll(true);
        int received = apns.server().requests().size();
        for (int i = 0; i < 50; i++) {
            sent.add(pool.post(push()));
        }
        await().atMost(WAIT).until(() -> apns.server().requests().size() == received + 50);
        proxy.close();
        apns.server().faults().stallAll(false);
        await().atMost(WAIT)
                .until(() -> pool.connections().stream()
                        .allMatch(c -> c.state() != ConnectionState.ACTIVE
                                && c.lastError().orElse("").contains("proxy 127.0.0.1:" + port)));
        for (int i = 0; i < 50; i++) {
            sent.add(pool.post(push()));
        }

        MockProxy restarted = start(proxyOf(type).port(port));

        int accepted = 0;
        List<Throwable> failed = new ArrayList<>();
        for (CompletableFuture<Response> f : sent) {
            try {
                assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
                accepted++;
            } catch (java.util.concurrent.ExecutionException e) {
                failed.add(e.getCause());
            }
        }
        // Every notification ended: accepted, or failed with a reason (a possible duplicate that used its re-send);
        // the first 50 were answered before the proxy died.
        assertThat(accepted + failed.size()).isEqualTo(150);
        assertThat(accepted).isGreaterThanOrEqualTo(100);
        assertThat(failed)
                .allSatisfy(t -> assertThat(t).isInstanceOf(ApnsException.class).hasMessageContaining(" "));
        // Those queued while the proxy was down went out through the restarted one.
        for (CompletableFuture<Response> f : sent.subList(100, 150)) {
            assertThat(f).isCompletedWithValueMatching(r -> r.status() == 200);
        }
        // Those in flight when it died were lost with their connections and each sent again at most once
        // (maxUnsafeRetries 1): no apns-id reached the server more than twice, and only those of the 50 in
        // flight more than once. How many of the re-sends got through before the proxy came back is timing.
        java.util.Map<String, Long> sends = apns.server().requests().stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        r -> r.header("apns-id"), java.util.stream.Collectors.counting()));
        assertThat(sends.values()).allSatisfy(n -> assertThat(n).isBetween(1L, 2L));
        assertThat(sends.values().stream().filter(n -> n == 2).count()).isLessThanOrEqualTo(50);
        assertThat(apns.server().requests().size()).isBetween(received + 100, received + 150);
        assertThat(restarted.tunnelCount()).isGreaterThanOrEqualTo(1);
        assertThat(apns.server().acceptedRequests().size()).isGreaterThanOrEqualTo(accepted);
        await().atMost(WAIT)
                .until(() -> pool.connections().stream().allMatch(c -> c.state() == ConnectionState.ACTIVE));
        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
    }
}
