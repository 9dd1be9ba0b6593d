package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aapns.auth.SslContexts;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.aapns.internal.ApnsHeaders;
import io.aapns.mock.MockProxy;
import io.aapns.mock.MockProxy.Requested;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
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
 * Connections through a real HTTP CONNECT proxy and a real SOCKS5 proxy on loopback ({@link MockProxy}), to the mock
 * APNs server: what reaches the proxy, and what each way of failing looks like.
 */
class ProxyConnectionTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The proxy's host name, which only the test's lookup knows. */
    static final String PROXY_HOST = "proxy.test";

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.validateJson(false));

    private final List<Connection> opened = new ArrayList<>();
    private final List<MockProxy> proxies = new ArrayList<>();
    /** Every host name the connections looked up themselves. */
    private final List<String> lookups = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Connection c : opened) {
            c.close();
            c.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        proxies.forEach(MockProxy::close);
    }

    /** The origin as a host name (the mock's certificate is for localhost), which only the proxy may resolve. */
    static URI origin() {
        return URI.create("https://localhost:" + apns.server().port());
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

    /** Options trusting the mock, through {@code proxy}, looking up only {@link #PROXY_HOST} (as loopback). */
    ConnectionOptions.Builder options(ProxyOptions proxy) {
        return ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(List.of(apns.server().caCertificate()))
                        .build())
                .hostLookup(host -> {
                    lookups.add(host);
                    if (host.equals(PROXY_HOST)) {
                        return new InetAddress[] {InetAddress.getLoopbackAddress()};
                    }
                    throw new UnknownHostException(host + " must not be looked up here");
                })
                .proxy(proxy);
    }

    Connection connect(ConnectionOptions options) throws Exception {
        Connection c = Connection.connect(origin(), options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        opened.add(c);
        return c;
    }

    static ConnectFailedException failure(CompletableFuture<Connection> f) {
        Throwable t = catchThrowable(() -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(ConnectFailedException.class);
        return (ConnectFailedException) t.getCause();
    }

    static Request push() {
        return Request.builder("/3/device/" + "ab".repeat(32))
                .header(ApnsHeaders.APNS_TOPIC, "com.example.app")
                .header(ApnsHeaders.APNS_PUSH_TYPE, "alert")
                .payload("{\"aps\":{\"alert\":\"through a proxy\"}}")
                .timeout(WAIT)
                .build();
    }

    void sendsAccepted(Connection c) throws Exception {
        int before = apns.server().acceptedRequests().size();
        assertThat(c.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
        assertThat(apns.server().acceptedRequests()).hasSize(before + 1);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ through the proxy

    @Test
    void anHttpProxyGetsTheHostNameUnresolvedAndCarriesRequests() throws Exception {
        MockProxy proxy = start(MockProxy.http(upstream()));

        Connection c =
                connect(options(ProxyOptions.http(PROXY_HOST, proxy.port())).build());
        sendsAccepted(c);

        assertThat(proxy.requests())
                .containsExactly(new Requested("localhost:" + apns.server().port(), "http"));
        assertThat(lookups).containsExactly(PROXY_HOST);
    }

    @Test
    void aSocks5ProxyGetsTheHostNameUnresolvedAndCarriesRequests() throws Exception {
        MockProxy proxy = start(MockProxy.socks5(upstream()));

        Connection c =
                connect(options(ProxyOptions.socks5(PROXY_HOST, proxy.port())).build());
        sendsAccepted(c);

        assertThat(proxy.requests())
                .containsExactly(new Requested("localhost:" + apns.server().port(), "DOMAIN"));
        assertThat(lookups).containsExactly(PROXY_HOST);
    }

    @Test
    void eachConnectionIsItsOwnTunnel() throws Exception {
        MockProxy proxy = start(MockProxy.http(upstream()));
        ConnectionOptions options =
                options(ProxyOptions.http(PROXY_HOST, proxy.port())).build();

        Connection first = connect(options);
        Connection second = connect(options);
        sendsAccepted(first);
        sendsAccepted(second);

        assertThat(proxy.tunnelCount()).isEqualTo(2);
        assertThat(proxy.requests()).hasSize(2);
    }

    @Test
    void anHttpProxyTakesTheRightCredentials() throws Exception {
        MockProxy proxy = start(MockProxy.http(upstream()).credentials("push", "s3cret"));

        Connection c = connect(options(ProxyOptions.builder(ProxyOptions.Type.HTTP, PROXY_HOST, proxy.port())
                        .credentials("push", "s3cret")
                        .build())
                .build());
        sendsAccepted(c);
    }

    @Test
    void aSocks5ProxyTakesTheRightCredentials() throws Exception {
        MockProxy proxy = start(MockProxy.socks5(upstream()).credentials("push", "s3cret"));

        Connection c = connect(options(ProxyOptions.builder(ProxyOptions.Type.SOCKS5, PROXY_HOST, proxy.port())
                        .credentials("push", "s3cret")
                        .build())
                .build());
        sendsAccepted(c);
    }

    @Test
    void anAddressLiteralIsSentAsAnAddress() throws Exception {
        MockProxy proxy = start(MockProxy.socks5(upstream()));

        Connection c = Connection.connect(
                        apns.server().uri(),
                        options(ProxyOptions.socks5(PROXY_HOST, proxy.port())).build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        opened.add(c);
        sendsAccepted(c);

        assertThat(proxy.requests())
                .containsExactly(new Requested("127.0.0.1:" + apns.server().port(), "IPv4"));
    }

    // ------------------------------------------------------------------ credentials refused

    @Test
    void wrongHttpProxyCredentialsAreAConfigurationProblem() {
        MockProxy proxy = start(MockProxy.http(upstream()).credentials("push", "s3cret"));

        ConnectFailedException e = failure(Connection.connect(
                origin(),
                options(ProxyOptions.builder(ProxyOptions.Type.HTTP, PROXY_HOST, proxy.port())
                                .credentials("push", "wrong")
                                .build())
                        .build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_AUTH_FAILED);
        assertThat(e)
                .hasMessageContaining("HTTP proxy proxy.test:" + proxy.port())
                .hasMessageContaining("refused the user name and password")
                .hasMessageContaining("407");
        assertThat(e.isConfigurationProblem()).isTrue();
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void anHttpProxyThatWantsCredentialsSaysSo() {
        MockProxy proxy = start(MockProxy.http(upstream()).credentials("push", "s3cret"));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.http(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_AUTH_FAILED);
        assertThat(e).hasMessageContaining("requires authentication").hasMessageContaining("407");
    }

    @Test
    void wrongSocks5CredentialsAreAConfigurationProblem() {
        MockProxy proxy = start(MockProxy.socks5(upstream()).credentials("push", "s3cret"));

        ConnectFailedException e = failure(Connection.connect(
                origin(),
                options(ProxyOptions.builder(ProxyOptions.Type.SOCKS5, PROXY_HOST, proxy.port())
                                .credentials("push", "wrong")
                                .build())
                        .build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_AUTH_FAILED);
        assertThat(e)
                .hasMessageContaining("SOCKS5 proxy proxy.test:" + proxy.port())
                .hasMessageContaining("refused the user name and password");
        assertThat(e.isConfigurationProblem()).isTrue();
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aSocks5ProxyThatWantsCredentialsSaysSo() {
        MockProxy proxy = start(MockProxy.socks5(upstream()).credentials("push", "s3cret"));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.socks5(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_AUTH_FAILED);
        assertThat(e).hasMessageContaining("requires authentication");
    }

    // ------------------------------------------------------------------ the target refused

    @Test
    void anHttpProxyThatRefusesTheTargetSaysWhichStatus() {
        MockProxy proxy = start(MockProxy.http(upstream()).refuse(403));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.http(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_REFUSED);
        assertThat(e)
                .hasMessageContaining(
                        "refused to open a tunnel to localhost:" + apns.server().port())
                .hasMessageContaining("403 Forbidden");
        assertThat(e.isConfigurationProblem()).isTrue();
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void anHttpProxyThatCannotReachTheTargetIsRetryable() {
        MockProxy proxy = start(MockProxy.http(upstream()).refuse(502));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.http(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e).hasMessageContaining("could not open a tunnel").hasMessageContaining("502 Bad Gateway");
        assertThat(e.isConfigurationProblem()).isFalse();
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aSocks5ProxyThatRefusesTheTargetSaysWhichReply() {
        MockProxy proxy = start(MockProxy.socks5(upstream()).refuse(Socks5CommandStatus.FORBIDDEN));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.socks5(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.PROXY_REFUSED);
        assertThat(e).hasMessageContaining("SOCKS5 reply 2: connection not allowed by ruleset");
        assertThat(e.isConfigurationProblem()).isTrue();
    }

    @Test
    void aSocks5ProxyThatCannotReachTheTargetIsRetryable() {
        MockProxy proxy = start(MockProxy.socks5(upstream()).refuse(Socks5CommandStatus.HOST_UNREACHABLE));

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.socks5(PROXY_HOST, proxy.port())).build()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e)
                .hasMessageContaining(
                        "could not reach localhost:" + apns.server().port())
                .hasMessageContaining("host unreachable");
        assertThat(e.retryable()).isTrue();
    }

    // ------------------------------------------------------------------ the proxy itself

    @Test
    void anUnreachableProxyIsNamed() throws Exception {
        int port = freePort();

        ConnectFailedException e = failure(Connection.connect(
                origin(), options(ProxyOptions.http(PROXY_HOST, port)).build()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e).hasMessageContaining("cannot connect to the HTTP proxy proxy.test:" + port);
        assertThat(e.retryable()).isTrue();
        assertThat(e.isConfigurationProblem()).isFalse();
    }

    @Test
    void aProxyWhoseNameDoesNotResolveIsNamed() {
        ConnectFailedException e = failure(Connection.connect(
                origin(),
                options(ProxyOptions.socks5("no-such-proxy.test", 1080)).build()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(e)
                .hasMessageContaining("cannot connect to the SOCKS5 proxy no-such-proxy.test:1080")
                .hasMessageContaining("cannot resolve no-such-proxy.test");
    }

    @Test
    void aProxyThatNeverAnswersTimesOutWithinTheConnectTimeout() {
        MockProxy proxy = start(MockProxy.http(upstream()).silent());

        ConnectFailedException e = failure(Connection.connect(
                origin(),
                options(ProxyOptions.http(PROXY_HOST, proxy.port()))
                        .connectTimeout(Duration.ofMillis(300))
                        .build()));

        assertThat(e.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(e)
                .hasMessageContaining(
                        "did not open the tunnel to localhost:" + apns.server().port())
                .hasMessageContaining("within 300 ms")
                .hasMessageContaining("sent no answer");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aRefusalWhoseBodyNeverEndsIsReportedAsTheRefusal() throws Exception {
        // a proxy that sends its 403's head, promises a body and then says nothing more
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread proxy = new Thread(() -> {
                try (java.net.Socket s = listener.accept()) {
                    s.getOutputStream()
                            .write("HTTP/1.1 403 Forbidden\r\nContent-Length: 100\r\n\r\n"
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.setSoTimeout(10_000);
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException closed) {
                    // the client gave up: done
                }
            });
            proxy.setDaemon(true);
            proxy.start();

            ConnectFailedException e = failure(Connection.connect(
                    origin(),
                    options(ProxyOptions.http(PROXY_HOST, listener.getLocalPort()))
                            .connectTimeout(Duration.ofMillis(500))
                            .build()));

            assertThat(e.kind()).isEqualTo(Kind.PROXY_REFUSED);
            assertThat(e).hasMessageContaining("403 Forbidden");
            proxy.join(15_000);
        }
    }

    // ------------------------------------------------------------------ the JVM's proxy properties

    @Test
    void theSystemProxyIsUsedOnlyWhenAskedFor() throws Exception {
        MockProxy proxy = start(MockProxy.http(upstream()));
        String[] names = {"https.proxyHost", "https.proxyPort", "http.nonProxyHosts"};
        String[] saved = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            saved[i] = System.getProperty(names[i]);
        }
        try {
            System.setProperty("https.proxyHost", PROXY_HOST);
            System.setProperty("https.proxyPort", Integer.toString(proxy.port()));
            System.setProperty("http.nonProxyHosts", "");

            ConnectionOptions direct = options(null)
                    .hostLookup(host -> new InetAddress[] {InetAddress.getLoopbackAddress()})
                    .build();
            sendsAccepted(connect(direct));
            assertThat(proxy.requests()).isEmpty();

            sendsAccepted(connect(options(null).useSystemProxy(true).build()));
            assertThat(proxy.requests())
                    .containsExactly(new Requested("localhost:" + apns.server().port(), "http"));
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], saved[i]);
                }
            }
        }
    }

    @Test
    void optionsKeepTheProxy() {
        ProxyOptions proxy = ProxyOptions.socks5(PROXY_HOST, 1080);
        ConnectionOptions options = ConnectionOptions.builder().proxy(proxy).build();

        assertThat(options.proxy()).contains(proxy);
        assertThat(options.newBuilder().build().proxy()).contains(proxy);
        assertThat(options.useSystemProxy()).isFalse();
        assertThat(ConnectionOptions.defaults().proxy()).isEmpty();
        assertThat(options.newBuilder().proxy(null).build().proxy()).isEmpty();
    }
}
