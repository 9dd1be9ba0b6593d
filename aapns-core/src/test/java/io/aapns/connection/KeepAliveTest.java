package io.aapns.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aapns.auth.SslContexts;
import io.aapns.errors.ClosedException;
import io.aapns.testing.TcpProxy;
import io.aapns.testing.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PING keep-alive: an idle connection is pinged and stays up; a server that goes silent (a frozen relay in front of it)
 * is detected by the PING timeout and the connection closes.
 */
class KeepAliveTest {
    @TempDir
    static Path dir;

    static WireMockServer wireMock;

    @BeforeAll
    static void start() throws Exception {
        wireMock = new WireMockServer(wireMockConfig()
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystoreType("PKCS12")
                .keystorePath(TestPki.get().serverKeyStore(dir).toString())
                .keystorePassword(new String(TestPki.PASSWORD))
                .keyManagerPassword(new String(TestPki.PASSWORD)));
        wireMock.start();
        wireMock.stubFor(post(urlEqualTo("/3/device/ok")).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    private static ConnectionOptions.Builder options() {
        return ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(TestPki.get().caCertificates())
                        .build());
    }

    private static Request request() {
        return Request.builder("/3/device/ok")
                .payload("{}")
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void idleConnectionIsPingedAndStaysUsable() throws Exception {
        ConnectionOptions o = options()
                .pingInterval(Duration.ofMillis(100))
                .pingTimeout(Duration.ofSeconds(10))
                .build();
        Connection c = Connection.connect(URI.create("https://127.0.0.1:" + wireMock.httpsPort()), o)
                .get(20, TimeUnit.SECONDS);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> c.pingsAcknowledged() >= 3);
            assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
            assertThat(c.lastError()).isEmpty();
            assertThat(c.post(request()).get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            c.close();
        }
    }

    @Test
    void silentServerIsDetectedByThePingTimeout() throws Exception {
        try (TcpProxy proxy = new TcpProxy(wireMock.httpsPort())) {
            ConnectionOptions o = options()
                    .pingInterval(Duration.ofMillis(100))
                    .pingTimeout(Duration.ofMillis(500))
                    .build();
            Connection c = Connection.connect(URI.create("https://127.0.0.1:" + proxy.port()), o)
                    .get(20, TimeUnit.SECONDS);
            assertThat(c.post(request()).get(20, TimeUnit.SECONDS).status()).isEqualTo(200);

            proxy.freeze();
            CompletableFuture<Response> inFlight = c.post(request());
            c.closeFuture().get(20, TimeUnit.SECONDS);

            assertThat(c.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(c.lastError()).get().asString().contains("PING");
            Throwable t = catchThrowable(() -> inFlight.get(20, TimeUnit.SECONDS));
            assertThat(t).isInstanceOf(ExecutionException.class).cause().isInstanceOf(ClosedException.class);
            // It was written to the socket: the server may have seen it.
            assertThat(((ClosedException) t.getCause()).safeToRetry()).isFalse();
            proxy.thaw();
        }
    }
}
