package io.aapns.connection;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aapns.auth.SslContexts;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.aapns.testing.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures to open a connection are told apart by stage. Loopback only. */
class ConnectFailureTest {
    @TempDir
    Path dir;

    private static ConnectFailedException failure(java.util.concurrent.CompletableFuture<Connection> f) {
        Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(ConnectFailedException.class);
        return (ConnectFailedException) t.getCause();
    }

    private WireMockServer wireMock(boolean http2) throws Exception {
        return wireMock(http2, TestPki.get().serverKeyStore(dir));
    }

    private WireMockServer wireMock(boolean http2, Path keyStore) {
        WireMockServer server = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .http2TlsDisabled(!http2)
                .keystoreType("PKCS12")
                .keystorePath(keyStore.toString())
                .keystorePassword(new String(TestPki.PASSWORD))
                .keyManagerPassword(new String(TestPki.PASSWORD)));
        server.start();
        return server;
    }

    @Test
    void untrustedServerCertificateIsATlsFailure() throws Exception {
        WireMockServer server = wireMock(true);
        try {
            ConnectionOptions options = ConnectionOptions.builder()
                    .sslContext(SslContexts.builder()
                            .trustedCertificates(TestPki.get().otherCa.getCertificatePathList())
                            .build())
                    .build();
            ConnectFailedException e =
                    failure(Connection.connect(URI.create("https://127.0.0.1:" + server.httpsPort()), options));
            assertThat(e.kind()).isEqualTo(Kind.TLS_FAILED);
            assertThat(e.retryable()).isFalse();
            assertThat(e).hasMessageContaining("TLS");
        } finally {
            server.stop();
        }
    }

    @Test
    void certificateForAnotherHostIsATlsFailure() throws Exception {
        WireMockServer server =
                wireMock(true, TestPki.get().keyStore(TestPki.get().wrongHostServer, dir.resolve("wrong-host.p12")));
        try {
            for (SslProvider provider : SslContexts.openSslAvailable()
                    ? new SslProvider[] {SslProvider.JDK, SslProvider.OPENSSL}
                    : new SslProvider[] {SslProvider.JDK}) {
                ConnectionOptions options = ConnectionOptions.builder()
                        .sslContext(SslContexts.builder()
                                .provider(provider)
                                .trustedCertificates(TestPki.get().caCertificates())
                                .build())
                        .build();
                ConnectFailedException e =
                        failure(Connection.connect(URI.create("https://127.0.0.1:" + server.httpsPort()), options));
                assertThat(e.kind()).as(provider.name()).isEqualTo(Kind.TLS_FAILED);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void hostNameIsResolvedAndMatchesTheCertificate() throws Exception {
        WireMockServer server = wireMock(true);
        try {
            ConnectionOptions options = ConnectionOptions.builder()
                    .sslContext(SslContexts.builder()
                            .trustedCertificates(TestPki.get().caCertificates())
                            .build())
                    .build();
            Connection c = Connection.connect(URI.create("https://localhost:" + server.httpsPort()), options)
                    .get(30, TimeUnit.SECONDS);
            assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
            c.closeGracefully(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS);
        } finally {
            server.stop();
        }
    }

    @Test
    void serverWithoutHttp2IsRefused() throws Exception {
        WireMockServer server = wireMock(false);
        try {
            ConnectionOptions options = ConnectionOptions.builder()
                    .sslContext(SslContexts.builder()
                            .trustedCertificates(TestPki.get().caCertificates())
                            .build())
                    .build();
            ConnectFailedException e =
                    failure(Connection.connect(URI.create("https://127.0.0.1:" + server.httpsPort()), options));
            assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(e).hasMessageContaining("server did not negotiate HTTP/2");
        } finally {
            server.stop();
        }
    }

    @Test
    void silentServerIsAHandshakeTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Accepts TCP (the kernel does), never answers the TLS ClientHello.
            ConnectionOptions options = ConnectionOptions.builder()
                    .handshakeTimeout(Duration.ofMillis(300))
                    .build();
            ConnectFailedException e =
                    failure(Connection.connect(URI.create("https://127.0.0.1:" + silent.getLocalPort()), options));
            assertThat(e.kind()).isEqualTo(Kind.HANDSHAKE_TIMEOUT);
            assertThat(e.retryable()).isTrue();
        }
    }

    @Test
    void fullAcceptQueueIsAConnectTimeoutNotATlsFailure() throws Exception {
        // A listener that never accepts: once its accept queue is full the kernel drops further
        // SYNs, so the TCP connect itself times out.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                        fillers.add(s);
                    } catch (java.io.IOException queueFull) {
                        s.close();
                        break;
                    }
                }
                ConnectionOptions options = ConnectionOptions.builder()
                        .connectTimeout(Duration.ofMillis(300))
                        .handshakeTimeout(Duration.ofSeconds(20))
                        .build();
                ConnectFailedException e =
                        failure(Connection.connect(URI.create("https://127.0.0.1:" + full.getLocalPort()), options));
                assertThat(e.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
                assertThat(e.retryable()).isTrue();
                assertThat(e).hasMessageContaining("timed out");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void refusedPortIsAConnectFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ConnectFailedException e =
                failure(Connection.connect(URI.create("https://127.0.0.1:" + port), ConnectionOptions.defaults()));
        assertThat(e.kind()).isEqualTo(Kind.CONNECT_FAILED);
    }
}
