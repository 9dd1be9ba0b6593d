package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ApnsMetricsTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        MockApnsServer apns = mock.server();
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsMetricsAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD);
    }

    private static PushResult send(ApnsClient client) throws Exception {
        return client.send(DEVICE, Notification.builder().alert("Hi").build()).get(10, TimeUnit.SECONDS);
    }

    private static double count(MeterRegistry registry, String outcome, String reason) {
        Counter c = registry.find("aapns.notifications")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    private static double gauge(MeterRegistry registry, String name, String... tags) {
        Gauge g = registry.find(name).tags(tags).gauge();
        assertThat(g).as(name).isNotNull();
        return g.value();
    }

    @Test
    void acceptedRejectedRetriedLatencyAndGauges() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(ApnsMetrics.class);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(ApnsMetrics.class).bindTo(registry);
            ApnsClient client = context.getBean(ApnsClient.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gauge(registry, "aapns.connections", "state", "active") == 2);
            assertThat(gauge(registry, "aapns.connections", "state", "connecting"))
                    .isZero();

            assertThat(send(client).accepted()).isTrue();
            mock.server().markUnregistered(DEVICE, Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(send(client).reasonText()).contains("Unregistered");
            mock.server().forgetDeviceToken(DEVICE);
            mock.server().faults().respondNext(1, 503, "ServiceUnavailable");
            assertThat(send(client).accepted()).isTrue(); // 503, then re-sent and accepted

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                // each notification counts once, by how it ended: the one answered 503 and then
                // accepted is an acceptance (and a retry)
                assertThat(count(registry, "accepted", "none")).isEqualTo(2);
                assertThat(count(registry, "rejected", "Unregistered")).isEqualTo(1);
                assertThat(count(registry, "rejected", "ServiceUnavailable")).isZero();
                Counter retries = registry.find("aapns.retries")
                        .tag("cause", "ServiceUnavailable")
                        .counter();
                assertThat(retries).isNotNull();
                assertThat(retries.count()).isEqualTo(1);
            });
            Timer accepted = registry.find("aapns.notifications.latency")
                    .tag("outcome", "accepted")
                    .timer();
            assertThat(accepted).isNotNull();
            assertThat(accepted.count()).isEqualTo(2);
            assertThat(accepted.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            Timer rejected = registry.find("aapns.notifications.latency")
                    .tag("outcome", "rejected")
                    .timer();
            assertThat(rejected.count()).isEqualTo(1);
            assertThat(gauge(registry, "aapns.pending")).isZero();
            assertThat(gauge(registry, "aapns.in.flight")).isZero();
        });
    }

    @Test
    void reasonsTheServerInventsShareOneTag() {
        runner().run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(ApnsMetrics.class).bindTo(registry);
            ApnsClient client = context.getBean(ApnsClient.class);
            String invented = "x".repeat(300);
            mock.server().faults().respondNext(1, 400, invented);
            assertThat(send(client).reasonText()).contains(invented);
            mock.server().faults().respondNext(1, 400, "SomethingNew");
            assertThat(send(client).reasonText()).contains("SomethingNew");
            mock.server().faults().respondNext(1, 500, invented);
            assertThat(send(client).accepted()).isTrue(); // 500 is re-sent
            mock.server().faults().respondNext(1, 400, "BadTopic");
            assertThat(send(client).reasonText()).contains("BadTopic");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(count(registry, "rejected", "other")).isEqualTo(2);
                assertThat(count(registry, "rejected", "BadTopic")).isEqualTo(1);
                assertThat(count(registry, "accepted", "none")).isEqualTo(1);
            });
            assertThat(registry.getMeters())
                    .allSatisfy(meter -> assertThat(meter.getId().getTags())
                            .allSatisfy(tag -> assertThat(tag.getValue())
                                    .doesNotContain("xxx")
                                    .isNotEqualTo("SomethingNew")));
        });
    }

    @Test
    void failedAttemptsAndInFlightGauge() {
        runner().withPropertyValues("aapns.request-timeout=500ms").run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(ApnsMetrics.class).bindTo(registry);
            ApnsClient client = context.getBean(ApnsClient.class);
            client.ready().get(10, TimeUnit.SECONDS);
            mock.server().faults().stallNext(1);
            CompletableFuture<PushResult> stalled =
                    client.send(DEVICE, Notification.builder().alert("Hi").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> gauge(registry, "aapns.in.flight") == 1);
            await().atMost(Duration.ofSeconds(5)).until(stalled::isDone);
            assertThat(stalled).isCompletedExceptionally();
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(count(registry, "failed", "RequestTimeoutException"))
                            .isEqualTo(1));
            assertThat(registry.find("aapns.notifications.latency")
                            .tag("outcome", "failed")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(gauge(registry, "aapns.in.flight")).isZero();
        });
    }

    @Test
    void notificationsThatNeverReachAConnectionCountAsFailed() {
        runner().run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(ApnsMetrics.class).bindTo(registry);
            ApnsClient client = context.getBean(ApnsClient.class);
            client.ready().get(10, TimeUnit.SECONDS);
            client.close();

            CompletableFuture<PushResult> refused =
                    client.send(DEVICE, Notification.builder().alert("Hi").build());

            assertThat(refused).isCompletedExceptionally();
            assertThat(count(registry, "failed", "ClosedException")).isEqualTo(1);
        });
    }

    @Test
    void gaugesOfAClientThatIsGoneAreNaN() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ApnsMetrics(() -> List.of("apnsClient"), bean -> {
                    throw new NoSuchBeanDefinitionException(bean);
                })
                .bindTo(registry);
        assertThat(gauge(registry, "aapns.pending", "client", "default")).isNaN();
    }

    @Test
    void withoutMicrometerOnTheClasspathThereAreNoMetricsButAClient() {
        runner().withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApnsClient.class).doesNotHaveBean(ApnsMetrics.class);
            assertThat(send(context.getBean(ApnsClient.class)).accepted()).isTrue();
        });
    }

    @Test
    void withoutAMeterRegistryThereIsNoMetricsListener() {
        MockApnsServer apns = mock.server();
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsMetricsAutoConfiguration.class))
                .withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ApnsClient.class);
                    assertThat(context).doesNotHaveBean(ApnsMetrics.class);
                });
    }

    @Test
    void withBootsMetricsAutoConfigurationTheMetersReachTheApplicationsRegistry() {
        MockApnsServer apns = mock.server();
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ApnsAutoConfiguration.class,
                        ApnsMetricsAutoConfiguration.class,
                        org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration.class,
                        org.springframework.boot.micrometer.metrics.autoconfigure
                                .CompositeMeterRegistryAutoConfiguration.class,
                        org.springframework.boot.micrometer.metrics.autoconfigure.export.simple
                                .SimpleMetricsExportAutoConfiguration.class))
                .withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD)
                .run(context -> {
                    assertThat(context).hasSingleBean(ApnsMetrics.class);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(send(context.getBean(ApnsClient.class)).accepted())
                            .isTrue();
                    await().atMost(Duration.ofSeconds(10)).until(() -> count(registry, "accepted", "none") == 1);
                    // the latency timer leaves histograms to management.metrics.distribution.*
                    Timer latency = registry.find("aapns.notifications.latency")
                            .tag("outcome", "accepted")
                            .timer();
                    assertThat(latency).isNotNull();
                    assertThat(latency.takeSnapshot().histogramCounts()).isEmpty();
                    assertThat(gauge(registry, "aapns.in.flight")).isZero();
                });
    }

    @Test
    void gaugesForEveryClientBeanTaggedWithItsName() {
        MockApnsServer apns = mock.server();
        ApnsClient one = TestFiles.ownClient(apns, dir);
        ApnsClient two = TestFiles.ownClient(apns, dir);
        try {
            new ApplicationContextRunner()
                    .withConfiguration(
                            AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsMetricsAutoConfiguration.class))
                    .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                    .withBean("first", ApnsClient.class, () -> one, bd -> bd.setDestroyMethodName(""))
                    .withBean("second", ApnsClient.class, () -> two, bd -> bd.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SimpleMeterRegistry registry = new SimpleMeterRegistry();
                        context.getBean(ApnsMetrics.class).bindTo(registry);
                        one.ready().get(10, TimeUnit.SECONDS);
                        two.ready().get(10, TimeUnit.SECONDS);
                        await().atMost(Duration.ofSeconds(10))
                                .until(() -> gauge(registry, "aapns.connections", "client", "first", "state", "active")
                                                == 2
                                        && gauge(registry, "aapns.connections", "client", "second", "state", "active")
                                                == 2);
                    });
        } finally {
            one.close();
            two.close();
        }
    }

    @Test
    void stateTagsDoNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new ApnsMetrics(() -> List.of("apnsClient"), bean -> null).bindTo(registry);
            assertThat(registry.find("aapns.connections")
                            .tag("state", "connecting")
                            .gauge())
                    .isNotNull();
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
