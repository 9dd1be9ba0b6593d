package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ProxyOptions;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockProxy;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code aapns.proxy.*}: what reaches the client's connections, and what a bad proxy configuration reports. */
class ApnsProxyPropertiesTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApnsAutoConfiguration.class, SslAutoConfiguration.class));

    private ApplicationContextRunner withPkcs12() {
        MockApnsServer apns = mock.server();
        return runner.withPropertyValues(
                TestFiles.url(apns),
                TestFiles.trust(apns),
                "aapns.topic=" + TOPIC,
                "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                "aapns.certificate.password=" + PASSWORD);
    }

    private static ConnectionOptions connectionOptions(ApnsClient client) {
        return TestFiles.poolOptions(client).connectionOptions();
    }

    private FailureAnalysis analyze(String... properties) {
        FailureAnalysis[] out = new FailureAnalysis[1];
        withPkcs12().withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            out[0] = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(out[0]).as("an analysis").isNotNull();
        return out[0];
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void withoutProxyPropertiesConnectionsAreDirect() {
        withPkcs12().run(context -> {
            ConnectionOptions options = connectionOptions(context.getBean(ApnsClient.class));
            assertThat(options.proxy()).isEmpty();
            assertThat(options.useSystemProxy()).isFalse();
            ApnsProperties.Proxy proxy = context.getBean(ApnsProperties.class).proxy();
            assertThat(proxy.type()).isEqualTo(ApnsProperties.Proxy.Type.HTTP);
            assertThat(proxy.configured()).isFalse();
        });
    }

    @Test
    void anHttpProxyWithCredentialsReachesEveryConnectionAndHealthShowsWhyItFails() throws Exception {
        int port = freePort();
        withPkcs12()
                .withPropertyValues(
                        "aapns.proxy.type=http",
                        "aapns.proxy.host=127.0.0.1",
                        "aapns.proxy.port=" + port,
                        "aapns.proxy.username=push",
                        "aapns.proxy.password=s3cret")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(connectionOptions(client).proxy())
                            .contains(ProxyOptions.builder(ProxyOptions.Type.HTTP, "127.0.0.1", port)
                                    .credentials("push", "s3cret")
                                    .build());
                    // nothing listens there: every connection says so
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> client.connections().stream()
                                    .allMatch(c -> c.lastError()
                                            .orElse("")
                                            .contains("cannot connect to the HTTP proxy 127.0.0.1:" + port)));
                });
    }

    @Test
    void notificationsGoThroughAnAuthenticatedSocks5Proxy() {
        try (MockProxy proxy =
                MockProxy.socks5(mock.server()).credentials("push", "s3cret").start()) {
            withPkcs12()
                    .withPropertyValues(
                            "aapns.proxy.type=socks5",
                            "aapns.proxy.host=127.0.0.1",
                            "aapns.proxy.port=" + proxy.port(),
                            "aapns.proxy.username=push",
                            "aapns.proxy.password=s3cret",
                            "aapns.pool.size=1")
                    .run(context -> {
                        ApnsClient client = context.getBean(ApnsClient.class);
                        PushResult result = client.send(
                                        TestFiles.DEVICE,
                                        Notification.builder().alert("Hi").build())
                                .get(30, TimeUnit.SECONDS);
                        assertThat(result.accepted()).isTrue();
                        assertThat(proxy.tunnelCount()).isEqualTo(1);
                        assertThat(proxy.requests())
                                .singleElement()
                                .satisfies(r -> assertThat(r.target())
                                        .isEqualTo("127.0.0.1:" + mock.server().port()));
                    });
        }
    }

    @Test
    void wrongProxyCredentialsFailStartUpWithTheProxysAnswer() {
        try (MockProxy proxy =
                MockProxy.http(mock.server()).credentials("push", "s3cret").start()) {
            FailureAnalysis a = analyze(
                    "aapns.proxy.host=127.0.0.1",
                    "aapns.proxy.port=" + proxy.port(),
                    "aapns.proxy.username=push",
                    "aapns.proxy.password=wrong",
                    "aapns.initialization-fail-timeout=30s");
            assertThat(a.getDescription())
                    .contains("refused the user name and password")
                    .contains("407");
        }
    }

    @Test
    void socks5IsBoundAsWritten() {
        withPkcs12()
                .withPropertyValues(
                        "aapns.proxy.type=SOCKS5", "aapns.proxy.host=socks.example.com", "aapns.proxy.port=1080")
                .run(context -> assertThat(connectionOptions(context.getBean(ApnsClient.class))
                                .proxy())
                        .contains(ProxyOptions.socks5("socks.example.com", 1080)));
    }

    @Test
    void theSystemPropertiesAreAnOptIn() {
        withPkcs12()
                .withPropertyValues("aapns.proxy.use-system-properties=true")
                .run(context -> {
                    ConnectionOptions options = connectionOptions(context.getBean(ApnsClient.class));
                    assertThat(options.useSystemProxy()).isTrue();
                    assertThat(options.proxy()).isEmpty();
                });
    }

    @Test
    void aPortWithoutAHostIsReported() {
        FailureAnalysis a = analyze("aapns.proxy.port=3128");
        assertThat(a.getDescription()).contains("aapns.proxy.host is not");
        assertThat(a.getAction()).contains("aapns.proxy.host").contains("aapns.proxy.port");
    }

    @Test
    void aHostWithoutAPortIsReported() {
        FailureAnalysis a = analyze("aapns.proxy.host=proxy.example.com");
        assertThat(a.getDescription()).contains("aapns.proxy.port is not");
        assertThat(a.getAction()).contains("3128").contains("1080");
    }

    @Test
    void aPortOutOfRangeIsReported() {
        FailureAnalysis a = analyze("aapns.proxy.host=proxy.example.com", "aapns.proxy.port=70000");
        assertThat(a.getDescription()).contains("aapns.proxy.port is invalid").contains("70000");
    }

    @Test
    void aPasswordWithoutAUserIsReported() {
        FailureAnalysis a =
                analyze("aapns.proxy.host=proxy.example.com", "aapns.proxy.port=3128", "aapns.proxy.password=x");
        assertThat(a.getDescription()).contains("aapns.proxy.username is not");
    }

    @Test
    void anHttpUserWithAColonIsReported() {
        FailureAnalysis a = analyze(
                "aapns.proxy.host=proxy.example.com",
                "aapns.proxy.port=3128",
                "aapns.proxy.username=a:b",
                "aapns.proxy.password=x");
        assertThat(a.getDescription())
                .contains("aapns.proxy.username is invalid")
                .contains("':'");
    }

    @Test
    void anUnknownTypeIsReported() {
        FailureAnalysis a = analyze("aapns.proxy.type=https", "aapns.proxy.host=proxy.example.com");
        assertThat(a.getDescription()).contains("aapns.proxy.type is 'https'");
        assertThat(a.getAction()).contains("http").contains("socks5");
    }
}
