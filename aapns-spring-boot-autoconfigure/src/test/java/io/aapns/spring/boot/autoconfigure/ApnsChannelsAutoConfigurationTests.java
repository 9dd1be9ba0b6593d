package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.channels.ApnsChannelServer;
import io.aapns.channels.ApnsChannels;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.MessageStoragePolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The ApnsChannels bean of aapns.broadcast.*, its health entry and its metrics. */
class ApnsChannelsAutoConfigurationTests {

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

    private ApplicationContextRunner configured() {
        MockApnsServer apns = mock.server();
        return runner.withPropertyValues(
                TestFiles.url(apns),
                TestFiles.trust(apns),
                "aapns.topic=" + TOPIC,
                "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                "aapns.certificate.password=" + PASSWORD);
    }

    @Test
    void noChannelsBeanUnlessEnabled() {
        configured().run(context -> assertThat(context).doesNotHaveBean(ApnsChannels.class));
        configured()
                .withPropertyValues("aapns.broadcast.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(ApnsChannels.class));
    }

    @Test
    void enabledGivesABeanWithTheClientsCredentialsAgainstTheManagementUrl() {
        configured()
                .withPropertyValues(
                        "aapns.broadcast.enabled=true",
                        "aapns.broadcast.management-url=" + mock.server().channelsUri())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasSingleBean(ApnsChannels.class);
                    ApnsChannels channels = context.getBean(ApnsChannels.class);
                    assertThat(channels.server().origin())
                            .isEqualTo(mock.server().channelsUri());
                    assertThat(channels.bundleId()).isEqualTo(TOPIC);

                    String id = channels.create(MessageStoragePolicy.NO_MESSAGE_STORED)
                            .get(10, TimeUnit.SECONDS);

                    assertThat(mock.channels()).extracting(c -> c.id()).containsExactly(id);
                    ApnsHealthContributor health = context.getBean(ApnsHealthContributor.class);
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(
                                    () -> assertThat(health.channelsHealth().getStatus())
                                            .isEqualTo(Status.UP));
                    assertThat(health.getContributor("channels")).isNotNull();
                    ApnsChannelsMetrics metrics = context.getBean(ApnsChannelsMetrics.class);
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    metrics.bindTo(registry);
                    channels.list().get(10, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(10))
                            .untilAsserted(() -> assertThat(registry.get("aapns.channels.operations")
                                            .tags("operation", "list", "outcome", "success")
                                            .counter()
                                            .count())
                                    .isEqualTo(1.0));
                });
    }

    @Test
    void aBroadcastCountsAsANotificationOfKindBroadcast() {
        configured()
                .withPropertyValues(
                        "aapns.broadcast.enabled=true",
                        "aapns.broadcast.management-url=" + mock.server().channelsUri())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    context.getBean(ApnsMetrics.class).bindTo(registry);
                    ApnsChannels channels = context.getBean(ApnsChannels.class);
                    String id = channels.create(MessageStoragePolicy.NO_MESSAGE_STORED)
                            .get(10, TimeUnit.SECONDS);
                    io.aapns.api.ApnsClient client = context.getBean(io.aapns.api.ApnsClient.class);
                    io.aapns.model.Notification update = io.aapns.model.Notification.builder()
                            .liveActivity(io.aapns.model.LiveActivity.update()
                                    .timestamp(java.time.Instant.now())
                                    .contentState(java.util.Map.of("score", "1-0"))
                                    .build())
                            .build();
                    assertThat(client.broadcast(id, update, io.aapns.api.BroadcastOptions.defaults())
                                    .get(10, TimeUnit.SECONDS)
                                    .accepted())
                            .isTrue();
                    assertThat(registry.get("aapns.notifications")
                                    .tags("kind", "broadcast", "outcome", "accepted", "client", "default")
                                    .counter()
                                    .count())
                            .isEqualTo(1.0);
                    assertThat(registry.find("aapns.notifications")
                                    .tags("kind", "notification")
                                    .counter())
                            .isNull();
                });
    }

    @Test
    void anApnsChannelsBeanOfTheApplicationsTakesItsPlace() {
        MockApnsServer apns = mock.server();
        ApnsChannels own = ApnsChannels.builder()
                .server(io.aapns.channels.ApnsChannelServer.of(apns.channelsUri()))
                .clientCertificate(
                        io.aapns.auth.ClientCertificate.fromPkcs12(TestFiles.pkcs12(apns, dir), PASSWORD.toCharArray()))
                .trustedCertificates(java.util.List.of(apns.caCertificate()))
                .bundleId(TOPIC)
                .build();
        try {
            configured()
                    .withPropertyValues("aapns.broadcast.enabled=true")
                    .withBean(ApnsChannels.class, () -> own, bd -> bd.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(ApnsChannels.class);
                        assertThat(context.getBean(ApnsChannels.class)).isSameAs(own);
                    });
        } finally {
            own.close();
        }
    }

    private static ApnsProperties bind(String... properties) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (String p : properties) {
            String[] kv = p.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return new org.springframework.boot.context.properties.bind.Binder(
                        new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(map))
                .bindOrCreate("aapns", ApnsProperties.class);
    }

    @Test
    void theChannelsCloseWithTheirBeanAfterTheBeansThatUseThem() {
        ApnsChannels[] made = new ApnsChannels[1];
        configured()
                .withPropertyValues(
                        "aapns.broadcast.enabled=true",
                        "aapns.broadcast.management-url=" + mock.server().channelsUri())
                .withInitializer(c -> c.addBeanFactoryPostProcessor(
                        new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
                .run(context -> {
                    made[0] = context.getBean(ApnsChannels.class);
                    assertThat(made[0].list().get(30, java.util.concurrent.TimeUnit.SECONDS))
                            .isNotNull();
                });
        assertThat(made[0].isOpen()).isFalse();
    }

    @Test
    void theManagementHostFollowsTheEnvironmentUnlessAUrlIsGiven() {
        // checked on the properties alone: a bean would connect to Apple
        assertThat(ApnsClientFactory.channelServer(bind("aapns.environment=development")))
                .isEqualTo(ApnsChannelServer.development());
        assertThat(ApnsClientFactory.channelServer(bind("aapns.topic=x"))).isEqualTo(ApnsChannelServer.production());
        assertThat(ApnsClientFactory.channelServer(bind("aapns.broadcast.management-url=https://127.0.0.1:9")))
                .isEqualTo(ApnsChannelServer.of(java.net.URI.create("https://127.0.0.1:9")));
        ApnsProperties defaults = bind("aapns.topic=x");
        assertThat(defaults.broadcast().enabled()).isFalse();
        assertThat(defaults.broadcast().poolSize()).isEqualTo(1);
    }

    @Test
    void aBadManagementUrlSaysWhatToFix() {
        configured()
                .withPropertyValues("aapns.broadcast.enabled=true", "aapns.broadcast.management-url=http://x/y")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("aapns.broadcast.management-url 'http://x/y' is not an https origin"));
    }
}
