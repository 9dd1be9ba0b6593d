package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.KEY_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TEAM_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.channels.ApnsChannels;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Named clients, {@code aapns.clients.<name>.*}: beans, fallback to the top level, primary, back-off, failures. */
class ApnsNamedClientsTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ApnsAutoConfiguration.class,
                    ApnsChannelsAutoConfiguration.class,
                    ApnsHealthContributorAutoConfiguration.class,
                    ApnsMetricsAutoConfiguration.class,
                    SslAutoConfiguration.class));

    /** A token client "app" and a certificate client "watch", with url, trust and topic written once at the top. */
    private ApplicationContextRunner twoClients() {
        MockApnsServer apns = mock.server();
        Path p8 = TestFiles.p8(apns, dir);
        Path p12 = TestFiles.pkcs12(apns, dir);
        return runner.withPropertyValues(
                TestFiles.url(apns),
                TestFiles.trust(apns),
                "aapns.topic=" + TOPIC,
                "aapns.pool.size=3",
                "aapns.clients.app.token.key-path=file:" + p8,
                "aapns.clients.app.token.key-id=" + KEY_ID,
                "aapns.clients.app.token.team-id=" + TEAM_ID,
                "aapns.clients.watch.certificate.path=file:" + p12,
                "aapns.clients.watch.certificate.password=" + PASSWORD,
                "aapns.clients.watch.pool.size=1");
    }

    private static PushResult send(ApnsClient client) throws Exception {
        return client.send(DEVICE, Notification.builder().alert("Hi").build()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachNamedClientIsABeanWithItsOwnCredentialsAndTheTopLevelsOtherSettings() {
        twoClients().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("apnsClient");
            assertThat(context.getBeansOfType(ApnsClient.class)).containsOnlyKeys("appApnsClient", "watchApnsClient");
            ApnsClient app = context.getBean("appApnsClient", ApnsClient.class);
            ApnsClient watch = context.getBean("watchApnsClient", ApnsClient.class);
            assertThat(app.signingKey())
                    .hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo(KEY_ID));
            assertThat(app.clientCertificate()).isEmpty();
            assertThat(watch.clientCertificate()).isPresent();
            assertThat(watch.signingKey()).isEmpty();
            assertThat(TestFiles.poolOptions(app).size())
                    .as("inherited from aapns.pool.size")
                    .isEqualTo(3);
            assertThat(TestFiles.poolOptions(watch).size()).as("its own").isEqualTo(1);
            assertThat(app.server().origin()).isEqualTo(mock.server().uri());
            assertThat(send(app).accepted()).isTrue();
            assertThat(send(watch).accepted()).isTrue();
            assertThat(mock.server().acceptedRequests())
                    .extracting(r -> r.headers().get("apns-topic").get(0))
                    .containsExactly(TOPIC, TOPIC);

            ApnsClients clients = context.getBean(ApnsClients.class);
            assertThat(clients.names()).containsExactly("app", "watch");
            assertThat(clients.get("app")).isSameAs(app);
            assertThat(clients.get("watch")).isSameAs(watch);
            assertThatThrownBy(() -> clients.get("voip"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("'voip'")
                    .hasMessageContaining("[app, watch]");
        });
    }

    @Test
    void withoutNamedClientsTheTopLevelClientIsUnchangedAndThereIsNoApnsClients() {
        MockApnsServer apns = mock.server();
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD)
                .run(context -> {
                    assertThat(context).hasSingleBean(ApnsClient.class).hasBean("apnsClient");
                    assertThat(context).doesNotHaveBean(ApnsClients.class);
                });
    }

    @Test
    void theInjectedClientIsThePrimaryOneAndWithoutAPrimaryNothingNeedsAUniqueOne() {
        twoClients().withPropertyValues("aapns.clients.watch.primary=true").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ApnsClient.class)).isSameAs(context.getBean("watchApnsClient"));
        });
        twoClients().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanProvider(ApnsClient.class).getIfUnique()).isNull();
        });
    }

    @Test
    void twoPrimaryClientsFailStartUpNamingThem() {
        twoClients()
                .withPropertyValues("aapns.clients.app.primary=true", "aapns.clients.watch.primary=true")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("app, watch");
                    assertThat(analysis.getAction()).contains("aapns.clients.<name>.primary");
                });
    }

    @Test
    void aBeanOfTheApplicationsUnderAClientsNameTakesItsPlace() {
        MockApnsServer apns = mock.server();
        ApnsClient own = TestFiles.ownClient(apns, dir);
        try {
            twoClients()
                    .withBean("watchApnsClient", ApnsClient.class, () -> own, bd -> bd.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean("watchApnsClient")).isSameAs(own);
                        assertThat(context.getBeansOfType(ApnsClient.class))
                                .containsOnlyKeys("appApnsClient", "watchApnsClient");
                        assertThat(context.getBean(ApnsClients.class).get("watch"))
                                .isSameAs(own);
                    });
        } finally {
            own.close();
        }
    }

    @Test
    void aDisabledNamedClientIsNotMade() {
        twoClients().withPropertyValues("aapns.clients.watch.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(ApnsClient.class)).containsOnlyKeys("appApnsClient");
            assertThat(context.getBean(ApnsClients.class).names()).containsExactly("app");
        });
    }

    @Test
    void aMisconfiguredNamedClientFailsStartUpNamingItsOwnProperty() {
        twoClients()
                .withPropertyValues("aapns.clients.watch.certificate.path=file:" + dir.resolve("missing.p12"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription())
                            .startsWith("APNs client 'watch': ")
                            .contains("aapns.clients.watch.certificate.path");
                    assertThat(analysis.getAction()).contains("aapns.clients.watch.certificate.path");
                });
    }

    @Test
    void anInheritedBadValueIsReportedUnderTheClientsName() {
        twoClients().withPropertyValues("aapns.clients.app.environment=staging").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ApnsFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("aapns.clients.app.environment is 'staging'");
            assertThat(analysis.getAction()).contains("Set aapns.clients.app.environment to production or development");
        });
    }

    @Test
    void healthHasOneEntryPerClientNameAndMetricsATagPerClient() {
        twoClients()
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthContributor health = context.getBean("aapnsHealthContributor", HealthContributor.class);
                    assertThat(health).isInstanceOf(CompositeHealthContributor.class);
                    CompositeHealthContributor composite = (CompositeHealthContributor) health;
                    assertThat(composite.stream().map(e -> e.name())).containsExactly("app", "watch");
                    assertThat(composite.getContributor("watch")).isInstanceOf(ApnsHealthContributor.class);

                    MeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(ApnsMetrics.class).bindTo(registry);
                    ApnsClient app = context.getBean("appApnsClient", ApnsClient.class);
                    ApnsClient watch = context.getBean("watchApnsClient", ApnsClient.class);
                    assertThat(send(app).accepted()).isTrue();
                    assertThat(send(watch).accepted()).isTrue();
                    assertThat(send(watch).accepted()).isTrue();
                    for (String client : List.of("app", "watch")) {
                        assertThat(registry.find("aapns.pending")
                                        .tag("client", client)
                                        .gauge())
                                .as("pending gauge of %s", client)
                                .isNotNull();
                    }
                    assertThat(registry.get("aapns.notifications")
                                    .tags("client", "app", "outcome", "accepted")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                    assertThat(registry.get("aapns.notifications")
                                    .tags("client", "watch", "outcome", "accepted")
                                    .counter()
                                    .count())
                            .isEqualTo(2);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> registry.get("aapns.connections")
                                            .tags("client", "app", "state", "active")
                                            .gauge()
                                            .value()
                                    == 3);
                });
    }

    @Test
    void channelsGoWithThePrimaryClientAndItsProperties() {
        MockApnsServer apns = mock.server();
        twoClients()
                .withPropertyValues(
                        "aapns.broadcast.enabled=true",
                        "aapns.broadcast.management-url=" + apns.channelsUri(),
                        "aapns.clients.watch.primary=true",
                        "aapns.clients.watch.topic=com.example.watch")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ApnsChannels.class);
                    assertThat(context.getBean(ApnsChannels.class).bundleId()).isEqualTo("com.example.watch");
                    CompositeHealthContributor health =
                            context.getBean("aapnsHealthContributor", CompositeHealthContributor.class);
                    CompositeHealthContributor watch = (CompositeHealthContributor) health.getContributor("watch");
                    CompositeHealthContributor app = (CompositeHealthContributor) health.getContributor("app");
                    assertThat(watch.getContributor("channels")).isNotNull();
                    assertThat(app.getContributor("channels")).isNull();
                });
        twoClients()
                .withPropertyValues(
                        "aapns.broadcast.enabled=true", "aapns.broadcast.management-url=" + apns.channelsUri())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ApnsChannels.class));
    }

    @Test
    void customizersLearnWhichClientTheyCustomize() {
        List<String> customized = new CopyOnWriteArrayList<>();
        twoClients()
                .withBean(ApnsClientBuilderCustomizer.class, () -> new ApnsClientBuilderCustomizer() {
                    @Override
                    public void customize(io.aapns.api.ApnsClient.Builder builder) {
                        customized.add("without a name");
                    }

                    @Override
                    public void customize(String clientName, io.aapns.api.ApnsClient.Builder builder) {
                        customized.add(clientName);
                    }
                })
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(customized).containsExactlyInAnyOrder("app", "watch");
                });
    }

    @Test
    void namedClientsAreClosedWithTheContext() {
        List<ApnsClient> made = new CopyOnWriteArrayList<>();
        twoClients()
                .run(context ->
                        made.addAll(context.getBeansOfType(ApnsClient.class).values()));
        assertThat(made).hasSize(2).noneMatch(ApnsClient::isOpen);
    }

    @Test
    void everyClientRunsOnOneSharedResourcesClosedWithTheContext() {
        java.util.function.LongSupplier ownLoops = () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("aapns-pool-"))
                .count();
        long before = ownLoops.getAsLong();
        List<io.aapns.connection.ApnsResources> shared = new CopyOnWriteArrayList<>();
        twoClients().run(context -> {
            assertThat(context).hasSingleBean(io.aapns.connection.ApnsResources.class);
            shared.add(context.getBean(io.aapns.connection.ApnsResources.class));
            assertThat(send(context.getBean("appApnsClient", ApnsClient.class)).accepted())
                    .isTrue();
            assertThat(send(context.getBean("watchApnsClient", ApnsClient.class))
                            .accepted())
                    .isTrue();
            assertThat(ownLoops.getAsLong())
                    .as("no client starts loops of its own")
                    .isEqualTo(before);
        });
        assertThat(shared.get(0).terminationFuture()).succeedsWithin(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "Set aapns.topic to com.example.app.|Set aapns.clients.watch.topic to com.example.app.",
                "aapns.token.key-id or aapns.token.team-id is wrong|aapns.clients.watch.token.key-id or"
                        + " aapns.clients.watch.token.team-id is wrong",
                "'x' (aapns.certificate.ssl-bundle):|'x' (aapns.clients.watch.certificate.ssl-bundle):",
                "the io.aapns.frames logger|the io.aapns.frames logger",
                "aapns.clients.watch.primary|aapns.clients.watch.primary",
                "no property here|no property here"
            })
    void aNamedClientsFailureNamesItsOwnProperties(String topLevel, String named) {
        assertThat(ApnsConfigurationException.renameProperties(topLevel, "watch"))
                .isEqualTo(named);
    }
}
