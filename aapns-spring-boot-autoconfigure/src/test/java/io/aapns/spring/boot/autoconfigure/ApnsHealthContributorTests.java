package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.KEY_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TEAM_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.aapns.pool.ConnectionSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ApnsHealthContributorTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsHealthContributorAutoConfiguration.class));

    private ApplicationContextRunner withCertificate(Path p12) {
        MockApnsServer apns = mock.server();
        return runner.withPropertyValues(
                TestFiles.url(apns),
                TestFiles.trust(apns),
                "aapns.topic=" + TOPIC,
                "aapns.certificate.path=file:" + p12,
                "aapns.certificate.password=" + PASSWORD);
    }

    private static Health health(HealthContributor contributor) {
        return ((HealthIndicator) contributor).health();
    }

    private static Map<String, Health> entries(CompositeHealthContributor composite) {
        Map<String, Health> out = new java.util.LinkedHashMap<>();
        for (HealthContributors.Entry e : composite) {
            out.put(e.name(), health(e.contributor()));
        }
        return out;
    }

    @Test
    void upWithOneEntryPerConnectionAndTheCertificate() {
        withCertificate(TestFiles.pkcs12(mock.server(), dir)).run(context -> {
            assertThat(context).hasBean("aapnsHealthContributor");
            ApnsHealthContributor health = context.getBean("aapnsHealthContributor", ApnsHealthContributor.class);
            ApnsClient client = context.getBean(ApnsClient.class);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.connections().stream().allMatch(c -> c.usable()));
            client.send(DEVICE, Notification.builder().alert("Hi").build()).join();

            Map<String, Health> entries = entries(health);
            assertThat(entries).containsOnlyKeys("pool", "connection-0", "connection-1", "certificate");
            assertThat(entries.get("pool").getStatus()).isEqualTo(Status.UP);
            assertThat(entries.get("pool").getDetails())
                    .containsEntry("usableConnections", 2L)
                    .containsEntry("server", mock.server().uri().toString())
                    .containsEntry("authentication", "certificate")
                    .containsEntry("completed", 1L);
            Health connection = entries.get("connection-0");
            assertThat(connection.getStatus()).isEqualTo(Status.UP);
            assertThat(connection.getDetails())
                    .containsEntry("state", "ACTIVE")
                    .containsKeys("inFlight", "maxConcurrentStreams", "sent", "answered", "failed", "connectedSince");
            long answered = entries.values().stream()
                    .filter(h -> h.getDetails().containsKey("answered"))
                    .mapToLong(h -> (Long) h.getDetails().get("answered"))
                    .sum();
            assertThat(answered).isEqualTo(1);
            Health certificate = entries.get("certificate");
            assertThat(certificate.getStatus()).isEqualTo(Status.UP);
            assertThat((String) certificate.getDetails().get("subject")).contains(TOPIC);
            assertThat(certificate.getDetails())
                    .containsKeys("notAfter", "daysLeft")
                    .doesNotContainKey("warning");
            // sub-paths resolve by name
            assertThat(health(health.getContributor("connection-1")).getStatus())
                    .isEqualTo(Status.UP);
            assertThat(health.getContributor("connection-7")).isNull();
            assertThat(health.getContributor("nothing")).isNull();
        });
    }

    @Test
    void tokenAuthenticationHasNoCertificateEntry() {
        MockApnsServer apns = mock.server();
        Path p8 = TestFiles.p8(apns, dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.pool.size=1",
                        "aapns.token.key-path=file:" + p8,
                        "aapns.token.key-id=" + KEY_ID,
                        "aapns.token.team-id=" + TEAM_ID)
                .run(context -> {
                    ApnsHealthContributor health = context.getBean(ApnsHealthContributor.class);
                    context.getBean(ApnsClient.class).ready().join();
                    Map<String, Health> entries = entries(health);
                    assertThat(entries).containsOnlyKeys("pool", "connection-0");
                    assertThat(entries.get("pool").getDetails().get("authentication"))
                            .isEqualTo("token " + KEY_ID + " (team " + TEAM_ID + ")");
                    assertThat(health.getContributor("certificate")).isNull();
                });
    }

    @Test
    void downWithTheReasonWhenApnsRefusesTheCredentials() {
        withCertificate(TestFiles.pkcs12(mock.server(), dir)).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            client.ready().join();
            mock.server().faults().goAwayOnNextRequest("BadCertificateEnvironment");
            client.send(DEVICE, Notification.builder().alert("Hi").build()).exceptionally(e -> null);
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.isOpen());

            ApnsHealthContributor health = context.getBean(ApnsHealthContributor.class);
            Health pool = health(health.getContributor("pool"));
            assertThat(pool.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) pool.getDetails().get("reason")).contains("BadCertificateEnvironment");
            entries(health).forEach((name, h) -> {
                if (name.startsWith("connection-")) {
                    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                }
            });
        });
    }

    @Test
    void downWhileNoConnectionIsUsableWithTheLastError() {
        mock.server().faults().refuseHandshake(true);
        withCertificate(TestFiles.pkcs12(mock.server(), dir)).run(context -> {
            ApnsHealthContributor health = context.getBean(ApnsHealthContributor.class);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Health pool = health(health.getContributor("pool"));
                assertThat(pool.getStatus()).isEqualTo(Status.DOWN);
                assertThat(pool.getDetails())
                        .containsEntry("reason", "no connection to APNs is usable yet")
                        .containsKey("lastError");
            });
            // a connection that is not usable while the client is open is UNKNOWN, not DOWN
            assertThat(health(health.getContributor("connection-0")).getStatus())
                    .isEqualTo(Status.UNKNOWN);
        });
    }

    @Test
    void certificateWarnsInItsLast30DaysAndIsDownOnceExpired() {
        MockApnsServer apns = mock.server();
        Path p12 = apns.issueClientCertificate(TOPIC, Duration.ofDays(10))
                .writePkcs12(dir.resolve("short.p12"), PASSWORD.toCharArray());
        withCertificate(p12).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            Health soon = health(context.getBean(ApnsHealthContributor.class).getContributor("certificate"));
            assertThat(soon.getStatus()).isEqualTo(Status.UP);
            assertThat((String) soon.getDetails().get("warning")).contains("expires in");
            assertThat((Long) soon.getDetails().get("daysLeft")).isBetween(8L, 10L);

            Clock later = Clock.fixed(
                    client.clientCertificate().orElseThrow().notAfter().plusSeconds(60), ZoneOffset.UTC);
            Health expired = health(new ApnsHealthContributor(client, later).getContributor("certificate"));
            assertThat(expired.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) expired.getDetails().get("error")).contains("expired");
        });
    }

    @Test
    void managementHealthAapnsEnabledFalseTurnsItOff() {
        withCertificate(TestFiles.pkcs12(mock.server(), dir))
                .withPropertyValues("management.health.aapns.enabled=false")
                .run(context ->
                        assertThat(context).hasSingleBean(ApnsClient.class).doesNotHaveBean("aapnsHealthContributor"));
    }

    @Test
    void withoutActuatorHealthOnTheClasspathTheClientStillWorks() {
        withCertificate(TestFiles.pkcs12(mock.server(), dir))
                .withClassLoader(new FilteredClassLoader(HealthContributor.class))
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(ApnsClient.class)
                            .doesNotHaveBean("aapnsHealthContributor");
                    assertThat(context.getBean(ApnsClient.class)
                                    .send(
                                            DEVICE,
                                            Notification.builder().alert("Hi").build())
                                    .join()
                                    .accepted())
                            .isTrue();
                });
    }

    @Test
    void anApplicationBeanNamedAapnsHealthContributorWins() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        withCertificate(TestFiles.pkcs12(mock.server(), dir))
                .withBean("aapnsHealthContributor", HealthIndicator.class, () -> own)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ApnsHealthContributor.class);
                    assertThat(context.getBean("aapnsHealthContributor")).isSameAs(own);
                });
    }

    @Test
    void noClientNoHealth() {
        runner.withPropertyValues("aapns.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("aapnsHealthContributor"));
    }

    @Test
    void anApplicationBeanNamedAapnsHealthIndicatorWinsToo() {
        HealthIndicator own = () -> Health.up().build();
        withCertificate(TestFiles.pkcs12(mock.server(), dir))
                .withBean("aapnsHealthIndicator", HealthIndicator.class, () -> own)
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("aapnsHealthContributor");
                    assertThat(context.getBean("aapnsHealthIndicator")).isSameAs(own);
                });
    }

    @Test
    void twoApplicationClientsGetOneEntryEachByBeanName() {
        MockApnsServer apns = mock.server();
        ApnsClient one = TestFiles.ownClient(apns, dir);
        ApnsClient two = TestFiles.ownClient(apns, dir);
        try {
            runner.withBean("pushClient", ApnsClient.class, () -> one, bd -> bd.setDestroyMethodName(""))
                    .withBean("voipClient", ApnsClient.class, () -> two, bd -> bd.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasBean("aapnsHealthContributor");
                        one.ready().get(10, java.util.concurrent.TimeUnit.SECONDS);
                        two.ready().get(10, java.util.concurrent.TimeUnit.SECONDS);
                        CompositeHealthContributor aapns =
                                context.getBean("aapnsHealthContributor", CompositeHealthContributor.class);
                        Map<String, HealthContributor> byClient = new java.util.LinkedHashMap<>();
                        aapns.forEach(e -> byClient.put(e.name(), e.contributor()));
                        assertThat(byClient).containsOnlyKeys("pushClient", "voipClient");
                        for (HealthContributor c : byClient.values()) {
                            assertThat(c).isInstanceOf(ApnsHealthContributor.class);
                            assertThat(health(((ApnsHealthContributor) c).getContributor("pool"))
                                            .getStatus())
                                    .isEqualTo(Status.UP);
                        }
                    });
        } finally {
            one.close();
            two.close();
        }
    }

    @Test
    void aReplacedConnectionStillDrainingHasItsOwnEntry() {
        MockApnsServer apns = mock.server();
        withCertificate(TestFiles.pkcs12(apns, dir))
                .withPropertyValues("aapns.pool.size=1")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    client.ready().get(10, java.util.concurrent.TimeUnit.SECONDS);
                    apns.faults().delay(Duration.ofSeconds(5));
                    var slow = client.send(
                            DEVICE, Notification.builder().alert("Hi").build());
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> client.stats().inFlight() == 1);
                    apns.connections().forEach(c -> c.goAway(null));
                    ApnsHealthContributor health = context.getBean(ApnsHealthContributor.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> entries(health)
                                    .keySet()
                                    .containsAll(java.util.Set.of("connection-0", "connection-0-draining")));
                    assertThat(health(health.getContributor("connection-0-draining"))
                                    .getDetails()
                                    .get("state"))
                            .isEqualTo("DRAINING");
                    apns.faults().delay(Duration.ZERO);
                    assertThat(slow.get(30, java.util.concurrent.TimeUnit.SECONDS)
                                    .accepted())
                            .isTrue();
                });
    }

    @Test
    void connectionEntryNamesNeverCollide() {
        ConnectionSnapshot current = snapshot(0, io.aapns.connection.ConnectionState.ACTIVE);
        ConnectionSnapshot other = snapshot(1, io.aapns.connection.ConnectionState.ACTIVE);
        ConnectionSnapshot old = snapshot(0, io.aapns.connection.ConnectionState.DRAINING);
        ConnectionSnapshot older = snapshot(0, io.aapns.connection.ConnectionState.DRAINING);
        assertThat(ApnsHealthContributor.connectionEntries(java.util.List.of(current, other, old, older)))
                .containsExactly(
                        Map.entry("connection-0", current),
                        Map.entry("connection-1", other),
                        Map.entry("connection-0-draining", old),
                        Map.entry("connection-0-draining-2", older));
    }

    private static ConnectionSnapshot snapshot(int slot, io.aapns.connection.ConnectionState state) {
        return new ConnectionSnapshot(
                slot,
                state,
                0,
                1000,
                slot,
                0,
                0,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty());
    }
}
