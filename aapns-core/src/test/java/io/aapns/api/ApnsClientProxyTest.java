package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.connection.ProxyOptions;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.MockProxy;
import io.aapns.model.Notification;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The high-level client through a proxy, with either kind of credentials: TLS runs end to end inside the tunnel. */
class ApnsClientProxyTest {

    static final String TOPIC = ApnsClientTest.TOPIC;
    static final String TOKEN = ApnsClientTest.TOKEN;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    <T extends AutoCloseable> T closeLast(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    <T extends AutoCloseable> T closeFirst(T closeable) {
        closeables.add(0, closeable);
        return closeable;
    }

    static InetSocketAddress upstream(MockApnsServer server) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    }

    @Test
    void tokenAuthenticationThroughAnAuthenticatedSocks5Proxy() throws Exception {
        MockApnsServer server = closeLast(MockApnsServer.builder().start());
        KeyPair key = ApnsClientTest.ecKey();
        server.registerSigningKey(ApnsClientTest.TEAM, ApnsClientTest.KEY_ID, key.getPublic());
        MockProxy proxy = closeLast(
                MockProxy.socks5(upstream(server)).credentials("push", "s3cret").start());
        ApnsClient client = closeFirst(ApnsClient.builder()
                .server(ApnsServer.of(URI.create("https://localhost:" + server.port())))
                .signingKey(SigningKey.of(key.getPrivate(), ApnsClientTest.KEY_ID, ApnsClientTest.TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(2)
                .proxy(ProxyOptions.builder(ProxyOptions.Type.SOCKS5, "127.0.0.1", proxy.port())
                        .credentials("push", "s3cret")
                        .build())
                .build());

        for (int i = 0; i < 10; i++) {
            PushResult result = client.send(
                            TOKEN, Notification.builder().alert("n" + i).build())
                    .get(30, TimeUnit.SECONDS);
            assertThat(result.accepted()).isTrue();
        }
        assertThat(server.acceptedRequests()).hasSize(10);
        assertThat(proxy.requests())
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.target()).isEqualTo("localhost:" + server.port()));
    }

    @Test
    void certificateAuthenticationThroughAnHttpProxy() throws Exception {
        MockApnsServer server = closeLast(
                MockApnsServer.builder().requireClientCertificate(true).start());
        MockClientCertificate cert = server.issueClientCertificate(TOPIC);
        MockProxy proxy = closeLast(MockProxy.http(upstream(server)).start());
        ApnsClient client = closeFirst(ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(
                        cert.writePkcs12(dir.resolve("c.p12"), "pw".toCharArray()), "pw".toCharArray()))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(1)
                .proxy(ProxyOptions.http("127.0.0.1", proxy.port()))
                .build());

        PushResult result =
                client.send(TOKEN, Notification.builder().alert("hi").build()).get(30, TimeUnit.SECONDS);

        assertThat(result.accepted()).isTrue();
        assertThat(server.openConnections())
                .singleElement()
                .satisfies(c -> assertThat(c.clientCertificateTopic()).hasValue(TOPIC));
        assertThat(proxy.tunnelCount()).isEqualTo(1);
    }
}
