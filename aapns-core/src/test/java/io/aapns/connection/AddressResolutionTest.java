package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SslContexts;
import io.aapns.errors.ConnectFailedException;
import io.aapns.internal.ApnsHeaders;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.AddressResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names are looked up off the event loop, at each connect, and successive lookups of a host take its addresses in
 * turn. Loopback only: the lookups are injected.
 */
class AddressResolutionTest {
    static final String TOPIC = "com.example.app";
    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.requireClientCertificate(true));

    @TempDir
    Path dir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Connection> opened = new ArrayList<>();
    /**
     * Released at the end of every test, so that no lookup thread stays blocked; a lookup waits for it longer than a
     * test waits for anything else.
     */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void closeEverything() throws Exception {
        release.countDown();
        for (Connection c : opened) {
            c.close();
            c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ConnectionOptions.Builder options() {
        MockApnsServer server = apns.server();
        MockClientCertificate cert = server.issueClientCertificate(TOPIC);
        return ConnectionOptions.builder()
                .eventLoopGroup(group)
                .sslContext(SslContexts.builder()
                        .clientCertificate(ClientCertificate.fromPkcs12(
                                cert.writePkcs12(dir.resolve("c.p12"), "pw".toCharArray()), "pw".toCharArray()))
                        .trustedCertificates(List.of(server.caCertificate()))
                        .build());
    }

    private Connection opened(CompletableFuture<Connection> future) throws Exception {
        Connection c = future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        opened.add(c);
        return c;
    }

    private static Request push() {
        return Request.builder("/3/device/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
                .header(ApnsHeaders.APNS_TOPIC, TOPIC)
                .header(ApnsHeaders.APNS_PUSH_TYPE, "alert")
                .payload("{\"aps\":{\"alert\":\"hello\"}}")
                .timeout(WAIT)
                .build();
    }

    private static ConnectFailedException connectFailure(CompletableFuture<Connection> f) {
        Throwable t = catchThrowable(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).as("the connect should have failed").isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(ConnectFailedException.class);
        return (ConnectFailedException) t.getCause();
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBlockedLookupDoesNotStallTheConnectionsSharingItsEventLoop() throws Exception {
        Connection healthy =
                opened(Connection.connect(apns.server().uri(), options().build()));
        EventLoop loop = group.next();
        CountDownLatch entered = new CountDownLatch(1);
        List<String> lookupThreads = new CopyOnWriteArrayList<>();
        List<Boolean> ranOnTheLoop = new CopyOnWriteArrayList<>();
        HostLookup blocked = host -> {
            lookupThreads.add(Thread.currentThread().getName());
            ranOnTheLoop.add(loop.inEventLoop());
            entered.countDown();
            try {
                release.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {loopback(1)};
        };

        CompletableFuture<Connection> slow = Connection.connect(
                URI.create("https://localhost:" + apns.server().port()),
                options().hostLookup(blocked).build());
        assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the lookup started")
                .isTrue();

        Response answer = healthy.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(slow).as("still waiting for its lookup").isNotDone();
        assertThat(ranOnTheLoop).containsExactly(false);
        assertThat(lookupThreads).singleElement().asString().startsWith("aapns-dns-");

        release.countDown();
        Connection late = opened(slow);
        assertThat(late.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
    }

    @Test
    void successiveLookupsOfAHostTakeItsAddressesInTurn() throws Exception {
        InetAddress[] answer = {loopback(1), loopback(2), loopback(3)};
        AtomicInteger lookups = new AtomicInteger();
        HostLookup many = host -> {
            lookups.incrementAndGet();
            return answer.clone();
        };
        AddressResolver<InetSocketAddress> resolver =
                Transports.resolver(options().hostLookup(many).build()).getResolver(group.next());
        List<InetAddress> picked = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            InetSocketAddress resolved = resolver.resolve(InetSocketAddress.createUnresolved("spread.test", 443))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(resolved.getPort()).isEqualTo(443);
            picked.add(resolved.getAddress());
        }
        assertThat(lookups).as("one lookup per resolution, no cache of ours").hasValue(6);
        assertThat(Set.copyOf(picked.subList(0, 3)))
                .as("the first three take three addresses")
                .containsExactlyInAnyOrder(answer);
        for (int i = 1; i < picked.size(); i++) {
            assertThat(picked.get(i))
                    .as("resolution %d after %s", i, picked.get(i - 1))
                    .isNotEqualTo(picked.get(i - 1));
        }
    }

    @Test
    void connectionsToTheSameHostLandOnDifferentAddresses() throws Exception {
        // 127.0.0.1 is the mock server; 127.0.0.2 has no listener there, so the connection that is
        // given it fails: which connection gets which address shows that they were spread.
        HostLookup two = host -> new InetAddress[] {loopback(1), loopback(2)};
        ConnectionOptions o = options().hostLookup(two).build();
        URI origin = URI.create("https://localhost:" + apns.server().port());
        int succeeded = 0;
        int failed = 0;
        for (int i = 0; i < 4; i++) {
            CompletableFuture<Connection> f = Connection.connect(origin, o);
            try {
                opened(f);
                succeeded++;
            } catch (ExecutionException e) {
                assertThat(e.getCause())
                        .isInstanceOf(ConnectFailedException.class)
                        .hasMessageContaining("refused");
                failed++;
            }
        }
        assertThat(succeeded).isEqualTo(2);
        assertThat(failed).isEqualTo(2);
    }

    @Test
    void anUnknownHostFailsTheConnectNamingTheHost() {
        HostLookup none = host -> {
            throw new UnknownHostException(host + ": Name or service not known");
        };
        ConnectFailedException e = connectFailure(Connection.connect(
                URI.create("https://no-such-host.test"),
                options().hostLookup(none).build()));
        assertThat(e.kind()).isEqualTo(ConnectFailedException.Kind.CONNECT_FAILED);
        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessageContaining("cannot resolve no-such-host.test");
    }

    @Test
    void aLookupThatNeverAnswersFailsTheConnectAfterTheConnectTimeout() {
        HostLookup stuck = host -> {
            try {
                release.await(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {loopback(1)};
        };
        ConnectFailedException e = connectFailure(Connection.connect(
                URI.create("https://stuck.test:" + apns.server().port()),
                options()
                        .hostLookup(stuck)
                        .connectTimeout(Duration.ofMillis(200))
                        .build()));
        assertThat(e.kind()).isEqualTo(ConnectFailedException.Kind.CONNECT_FAILED);
        assertThat(e).hasMessageContaining("stuck.test").hasMessageContaining("did not answer within 200 ms");
    }

    @Test
    void anAddressLiteralIsNotLookedUp() throws Exception {
        HostLookup refuse = host -> {
            throw new AssertionError("looked up " + host);
        };
        Connection c = opened(Connection.connect(
                apns.server().uri(), options().hostLookup(refuse).build()));
        assertThat(c.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
    }
}
