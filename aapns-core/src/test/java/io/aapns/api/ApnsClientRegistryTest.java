package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aapns.auth.SigningKey;
import io.aapns.connection.ApnsResources;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spi.ApnsListener;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many tenants, each with its own signing key, against the mock server: bounded, replaced, idle, nothing lost. */
class ApnsClientRegistryTest {

    private static final String TOKEN = ApnsClientTest.TOKEN;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private MockApnsServer server;
    private final Map<Integer, KeyPair> keys = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = MockApnsServer.builder().start();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        server.close();
    }

    static String team(int tenant) {
        return String.format("T%09d", tenant);
    }

    static String keyId(int tenant) {
        return String.format("K%09d", tenant);
    }

    static String topic(int tenant) {
        return "com.example.tenant" + tenant;
    }

    /** A tenant's own P-256 key, registered with the mock, which checks each tenant's JWTs against it. */
    private KeyPair key(int tenant) {
        return keys.computeIfAbsent(tenant, t -> {
            try {
                KeyPair pair = ApnsClientTest.ecKey();
                server.registerSigningKey(team(t), keyId(t), pair.getPublic());
                return pair;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private ApnsClient.Builder clientFor(int tenant) {
        return ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key(tenant).getPrivate(), keyId(tenant), team(tenant)))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(topic(tenant))
                .poolSize(1);
    }

    private <K> ApnsClientRegistry<K> register(ApnsClientRegistry<K> registry) {
        closeables.add(0, registry);
        return registry;
    }

    private static Notification notification(String text) {
        return Notification.builder().alert(text).build();
    }

    /** Threads of this test's making: not the JVM-wide lookup threads (they stop after a minute idle) or pools'. */
    private static long threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n ->
                        !n.startsWith("aapns-dns-") && !n.startsWith("ForkJoinPool") && !n.startsWith("awaitility"))
                .count();
    }

    @Test
    void twoHundredTenantsBoundedAtFiftyLoseNothingAndLeakNothing() throws Exception {
        for (int t = 0; t < 200; t++) {
            key(t);
        }
        long baseline = threads();
        MockTicker ticker = Ticker.newMockTicker();
        AtomicInteger builds = new AtomicInteger();
        ApnsClientRegistry<Integer> registry = ApnsClientRegistry.<Integer>builder(this::clientFor)
                .maxClients(50)
                .ticker(ticker)
                .listener(tenant -> {
                    builds.incrementAndGet();
                    return ApnsListener.NONE;
                })
                .build();
        closeables.add(0, registry);

        // every tenant once (each beyond the 50th evicts the least recently used), then the 50 live ones again
        // (no build), then ten of the evicted ones (built anew, evicting the least recently used of those 50)
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            order.add(t);
        }
        for (int t = 150; t < 200; t++) {
            order.add(t);
        }
        for (int t = 0; t < 10; t++) {
            order.add(t);
        }
        Set<ApnsClient> seen = new HashSet<>();
        Map<Integer, ApnsClient> lastClient = new HashMap<>();
        List<CompletableFuture<PushResult>> sent = new ArrayList<>();
        int largest = 0;
        for (int tenant : order) {
            ticker.advance(1, TimeUnit.MILLISECONDS);
            sent.add(registry.send(tenant, TOKEN, notification("for " + tenant)));
            ApnsClient client = registry.client(tenant);
            seen.add(client);
            lastClient.put(tenant, client);
            largest = Math.max(largest, registry.size());
        }

        for (CompletableFuture<PushResult> f : sent) {
            assertThat(f.get(60, TimeUnit.SECONDS).accepted()).isTrue();
        }
        assertThat(largest).isEqualTo(50);
        assertThat(registry.size()).isEqualTo(50);
        assertThat(builds).hasValue(210);
        assertThat(seen).hasSize(210);
        Set<Integer> live = new HashSet<>();
        for (int t = 0; t < 10; t++) {
            live.add(t);
        }
        for (int t = 160; t < 200; t++) {
            live.add(t);
        }
        assertThat(registry.keys()).isEqualTo(live);

        // each notification went with its tenant's own credentials (the mock checked the JWT against that key)
        assertThat(server.acceptedRequests()).hasSize(sent.size());
        for (RecordedRequest r : server.requests()) {
            int tenant = Integer.parseInt(r.header("apns-topic").substring("com.example.tenant".length()));
            String[] jwt =
                    r.header("authorization").substring("bearer ".length()).split("\\.");
            assertThat(decode(jwt[0])).contains(keyId(tenant));
            assertThat(decode(jwt[1])).contains(team(tenant));
        }

        // the evicted clients are closed, the live ones open
        Set<ApnsClient> liveClients = new HashSet<>();
        live.forEach(t -> liveClients.add(lastClient.get(t)));
        await().atMost(WAIT)
                .until(() -> seen.stream().filter(c -> !liveClients.contains(c)).noneMatch(ApnsClient::isOpen));
        assertThat(liveClients).allMatch(ApnsClient::isOpen);

        registry.close();
        assertThat(seen).noneMatch(ApnsClient::isOpen);
        registry.resources().terminationFuture().get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> server.openConnections().isEmpty());
        await().atMost(WAIT).until(() -> threads() <= baseline);
        assertThatThrownBy(() -> registry.client(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Test
    void concurrentFirstUseBuildsOneClient() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        ApnsClientRegistry<Integer> registry = register(ApnsClientRegistry.<Integer>builder(t -> {
                    loads.incrementAndGet();
                    return clientFor(t);
                })
                .build());
        int callers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<ApnsClient>> got = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                got.add(pool.submit(() -> {
                    start.await();
                    return registry.client(7);
                }));
            }
            start.countDown();
            Set<ApnsClient> clients = new HashSet<>();
            for (Future<ApnsClient> f : got) {
                clients.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(clients).hasSize(1);
            assertThat(loads).hasValue(1);
            assertThat(registry.send(7, TOKEN, notification("one"))
                            .get(30, TimeUnit.SECONDS)
                            .accepted())
                    .isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refreshAndAChangedCredentialVersionWhileSendingLoseNothing() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger version = new AtomicInteger();
        ApnsClientRegistry<Integer> registry = register(ApnsClientRegistry.<Integer>builder(t -> {
                    loads.incrementAndGet();
                    return clientFor(t).poolSize(2);
                })
                .credentialVersion(t -> version.get())
                .build());
        ApnsClient first = registry.client(1);
        first.ready().get(30, TimeUnit.SECONDS);

        Semaphore window = new Semaphore(32);
        List<CompletableFuture<PushResult>> sent = new ArrayList<>();
        CompletableFuture<Void> refreshed = null;
        for (int i = 0; i < 600; i++) {
            assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<PushResult> f = registry.send(1, TOKEN, notification("n" + i));
            f.whenComplete((r, e) -> window.release());
            sent.add(f);
            if (i == 200) {
                refreshed = registry.refresh(1);
            }
            if (i == 400) {
                version.incrementAndGet(); // the next send finds it changed and replaces the client
            }
        }
        for (CompletableFuture<PushResult> f : sent) {
            assertThat(f.get(30, TimeUnit.SECONDS).accepted()).isTrue();
        }
        refreshed.get(30, TimeUnit.SECONDS);
        assertThat(server.acceptedRequests()).hasSize(sent.size());
        assertThat(loads).hasValue(3);
        await().atMost(WAIT).until(() -> !first.isOpen());
        ApnsClient third = registry.client(1);
        assertThat(third).isNotSameAs(first).matches(ApnsClient::isOpen);
        assertThat(registry.size()).isOne();
        assertThat(loads).hasValue(3);
    }

    @Test
    void aNotificationRacingItsClientsReplacementIsSentOnTheNextClient() throws Exception {
        ApnsClientRegistry<Integer> registry =
                register(ApnsClientRegistry.<Integer>builder(this::clientFor).build());
        ApnsClient old = registry.client(0);
        old.ready().get(30, TimeUnit.SECONDS);
        // the client is let go after send took it and before it sends: the moment an eviction may come
        AtomicInteger raced = new AtomicInteger();
        registry.beforeSend(key -> {
            if (raced.getAndIncrement() == 0) {
                registry.refresh(key);
            }
        });

        PushResult result = registry.send(0, TOKEN, notification("racing")).get(30, TimeUnit.SECONDS);

        assertThat(result.accepted()).isTrue();
        assertThat(raced)
                .as("taken twice: the old client refused it, the new one sent it")
                .hasValue(2);
        assertThat(old.stats().failed()).as("refused by the closing client").isOne();
        assertThat(old.stats().completed()).isZero();
        assertThat(registry.client(0)).isNotSameAs(old);
        assertThat(server.acceptedRequests()).hasSize(1);
        await().atMost(WAIT).until(() -> !old.isOpen());
    }

    @Test
    void evictionsWhileSendingLoseNothing() throws Exception {
        ApnsClientRegistry<Integer> registry = register(ApnsClientRegistry.<Integer>builder(this::clientFor)
                .maxClients(2)
                .build());
        registry.client(0).ready().get(30, TimeUnit.SECONDS);
        // one thread sends for tenant 0 while another keeps evicting clients by sending for 1 and 2
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Function<int[], Future<List<CompletableFuture<PushResult>>>> sender = tenants -> pool.submit(() -> {
                List<CompletableFuture<PushResult>> sent = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    int tenant = tenants[i % tenants.length];
                    sent.add(registry.send(tenant, TOKEN, notification("n" + i)));
                }
                return sent;
            });
            Future<List<CompletableFuture<PushResult>>> zero = sender.apply(new int[] {0});
            Future<List<CompletableFuture<PushResult>>> others = sender.apply(new int[] {1, 2});
            List<CompletableFuture<PushResult>> all = new ArrayList<>(zero.get(60, TimeUnit.SECONDS));
            all.addAll(others.get(60, TimeUnit.SECONDS));
            for (CompletableFuture<PushResult> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS).accepted()).isTrue();
            }
            assertThat(server.acceptedRequests()).hasSize(all.size());
            assertThat(registry.size()).isLessThanOrEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleClientsAreClosed() throws Exception {
        MockTicker ticker = Ticker.newMockTicker();
        ApnsClientRegistry<Integer> registry = register(ApnsClientRegistry.<Integer>builder(this::clientFor)
                .idleTimeout(Duration.ofMinutes(1))
                .ticker(ticker)
                .build());
        ApnsClient a = registry.client(1);
        ApnsClient b = registry.client(2);
        assertThat(registry.send(2, TOKEN, notification("b"))
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();

        ticker.advance(30, TimeUnit.SECONDS);
        assertThat(registry.closeIdle()).isZero();
        registry.client(1);
        ticker.advance(40, TimeUnit.SECONDS);

        assertThat(registry.closeIdle()).isOne();
        assertThat(registry.keys()).containsExactly(1);
        await().atMost(WAIT).until(() -> !b.isOpen());
        assertThat(a.isOpen()).isTrue();
        ApnsClient b2 = registry.client(2);
        assertThat(b2).isNotSameAs(b);
        assertThat(registry.send(2, TOKEN, notification("b again"))
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
    }

    @Test
    void aLoaderFailureLeavesNoClientAndSharedResourcesStayTheCallers() throws Exception {
        try (ApnsResources resources = ApnsResources.builder().threads(1).build()) {
            ApnsClientRegistry<Integer> registry = ApnsClientRegistry.<Integer>builder(t -> {
                        if (t < 0) {
                            throw new IllegalArgumentException("no tenant " + t);
                        }
                        return clientFor(t);
                    })
                    .resources(resources)
                    .build();
            assertThatThrownBy(() -> registry.client(-1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no tenant -1");
            assertThat(registry.size()).isZero();
            assertThat(registry.send(3, TOKEN, notification("x"))
                            .get(30, TimeUnit.SECONDS)
                            .accepted())
                    .isTrue();
            assertThat(resources.users()).isOne();

            registry.closeGracefully(Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);

            assertThat(resources.isOpen()).as("the caller's resources").isTrue();
            await().atMost(WAIT).until(() -> resources.users() == 0);
        }
        assertThatThrownBy(() ->
                        ApnsClientRegistry.builder((Integer t) -> clientFor(t)).maxClients(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxClients must be at least 1");
    }
}
