package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.aapns.pool.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Start-up while APNs cannot be reached: by default the application starts, health says why APNs is DOWN and the client
 * keeps reconnecting until the server is there; with aapns.initialization-fail-timeout, start-up waits for a first
 * connection and fails without one.
 */
class ApnsStartupTests {

    /** Issues the CA and client certificate; a second server on a fixed port serves the same CA. */
    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsHealthContributorAutoConfiguration.class));

    /** A loopback port where nothing listens (it was free a moment ago). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client pointed at {@code port} on 127.0.0.1, trusting the extension's CA. */
    ApplicationContextRunner pointedAt(int port) {
        MockApnsServer ca = mock.server();
        return runner.withPropertyValues(
                "aapns.url=https://127.0.0.1:" + port,
                TestFiles.trust(ca),
                "aapns.topic=" + TOPIC,
                "aapns.certificate.path=file:" + TestFiles.pkcs12(ca, dir),
                "aapns.certificate.password=" + PASSWORD,
                "aapns.pool.size=1",
                "aapns.connect-timeout=2s",
                "aapns.request-timeout=25s",
                "aapns.retry.initial-backoff=50ms",
                "aapns.retry.max-backoff=500ms");
    }

    @Test
    void startsWithoutApnsShowsItDownAndSendsOnceTheServerIsThere() {
        int port = freePort();
        pointedAt(port).run(context -> {
            assertThat(context).hasNotFailed();
            ApnsClient client = context.getBean(ApnsClient.class);
            HealthIndicator pool = (HealthIndicator)
                    context.getBean(ApnsHealthContributor.class).getContributor("pool");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Health health = pool.health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("reason", "no connection to APNs is usable yet");
                assertThat((String) health.getDetails().get("lastError")).contains(String.valueOf(port));
            });
            assertThat(client.isOpen()).isTrue();

            try (MockApnsServer late = MockApnsServer.builder()
                    .certificatesFrom(mock.server())
                    .port(port)
                    .start()) {
                assertThat(client.send(
                                        DEVICE,
                                        Notification.builder().alert("late").build())
                                .get(30, TimeUnit.SECONDS)
                                .accepted())
                        .isTrue();
                assertThat(late.acceptedRequests()).hasSize(1);
                assertThat(pool.health().getStatus()).isEqualTo(Status.UP);
                client.close();
            }
        });
    }

    @Test
    void byDefaultTheClientKeepsTryingPastItsStartTimeout() {
        pointedAt(freePort()).run(context -> {
            PoolOptions options = TestFiles.poolOptions(context.getBean(ApnsClient.class));
            assertThat(options.closeOnStartTimeout()).isFalse();
        });
    }

    @Test
    void initializationFailTimeoutFailsStartUpWhenNoConnectionOpens() {
        pointedAt(freePort())
                .withPropertyValues("aapns.initialization-fail-timeout=500ms")
                .run(context -> {
                    assertThat(context).hasFailed();
                    Throwable failure = context.getStartupFailure();
                    assertThat(failure).rootCause().isNotNull();
                    FailureAnalysis analysis = new ApnsFailureAnalyzer().analyze(failure);
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getCause()).isInstanceOf(ApnsInitializationException.class);
                    assertThat(analysis.getDescription())
                            .contains("No connection to APNs at https://127.0.0.1:")
                            .contains("aapns.initialization-fail-timeout (500ms)");
                    assertThat(analysis.getAction())
                            .contains("aapns.url")
                            .contains("DNS")
                            .contains("unset aapns.initialization-fail-timeout to start anyway");
                });
    }

    @Test
    void initializationFailTimeoutWaitsForTheFirstConnection() {
        MockApnsServer apns = mock.server();
        pointedAt(apns.port())
                .withPropertyValues("aapns.initialization-fail-timeout=20s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ApnsClient client = context.getBean(ApnsClient.class);
                    // creating the bean waited: the client is ready as soon as the context is
                    assertThat(client.ready()).isCompleted();
                    PoolOptions options = TestFiles.poolOptions(client);
                    assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(options.closeOnStartTimeout()).isTrue();
                    assertThat(client.send(
                                            DEVICE,
                                            Notification.builder().alert("Hi").build())
                                    .get(10, TimeUnit.SECONDS)
                                    .accepted())
                            .isTrue();
                });
    }

    @Test
    void initializationFailTimeoutMustBePositive() {
        pointedAt(freePort())
                .withPropertyValues("aapns.initialization-fail-timeout=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).startsWith("aapns.initialization-fail-timeout is invalid");
                    assertThat(analysis.getAction()).contains("remove it to start without waiting for APNs");
                });
    }
}
