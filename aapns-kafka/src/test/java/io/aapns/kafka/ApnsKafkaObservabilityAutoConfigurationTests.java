package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.auth.ClientCertificate;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.spring.boot.autoconfigure.ApnsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The conditions of the worker's health indicator and meters. The worker's consumer points at a port where nothing
 * listens: these tests look at beans, not at records.
 */
class ApnsKafkaObservabilityAutoConfigurationTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ApnsAutoConfiguration.class,
                    KafkaAutoConfiguration.class,
                    ApnsKafkaAutoConfiguration.class,
                    ApnsKafkaHealthAutoConfiguration.class,
                    ApnsKafkaMetricsAutoConfiguration.class))
            .withUserConfiguration(OwnClient.class)
            .withPropertyValues(
                    "spring.kafka.bootstrap-servers=127.0.0.1:9",
                    "aapns.kafka.requests-topic=requests",
                    "aapns.kafka.worker.enabled=true");

    @Test
    void theWorkerHasAHealthIndicatorNamedAapnsKafka() {
        runner.run(context -> {
            assertThat(context).hasBean("aapnsKafkaHealthIndicator");
            Health health = context.getBean("aapnsKafkaHealthIndicator", HealthIndicator.class)
                    .health();
            assertThat(health.getDetails()).containsKeys("worker", "state", "held", "inFlight", "partitions");
        });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.aapns-kafka.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("aapnsKafkaHealthIndicator"));
    }

    @Test
    void withoutActuatorsHealthOnTheClassPathThereIsNoIndicator() {
        runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApnsKafkaWorker.class);
            assertThat(context).doesNotHaveBean("aapnsKafkaHealthIndicator");
        });
    }

    @Test
    void anIndicatorOfTheApplicationsOwnUnderThatNameReplacesIt() {
        runner.withUserConfiguration(OwnIndicator.class)
                .run(context -> assertThat(context.getBean("aapnsKafkaHealthIndicator", HealthIndicator.class)
                                .health())
                        .isEqualTo(Health.unknown().build()));
    }

    @Test
    void withoutAWorkerThereIsNoIndicatorAndNoMeters() {
        runner.withPropertyValues("aapns.kafka.worker.enabled=false")
                .withUserConfiguration(Registry.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(ApnsKafkaPublisher.class);
                    assertThat(context).doesNotHaveBean("aapnsKafkaHealthIndicator");
                    assertThat(context).doesNotHaveBean(ApnsKafkaMetrics.class);
                });
    }

    @Test
    void theMetersNeedAMeterRegistryBean() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ApnsKafkaMetrics.class));
    }

    @Test
    void withAMeterRegistryTheWorkersMetersAreBound() {
        runner.withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasSingleBean(ApnsKafkaMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(ApnsKafkaMetrics.class).bindTo(registry); // what Boot's binding does
            assertThat(registry.get("aapns.kafka.records")
                            .tag("topic", "requests")
                            .functionCounter()
                            .count())
                    .isZero();
            assertThat(registry.get("aapns.kafka.outcomes").functionCounters()).hasSize(3);
            assertThat(registry.get("aapns.kafka.held").gauge().value()).isZero();
        });
    }

    @Test
    void withoutMicrometerOnTheClassPathThereAreNoMeters() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ApnsKafkaMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        @Bean(destroyMethod = "close")
        ApnsClient apnsClient() {
            MockApnsServer server = mock.server();
            MockClientCertificate certificate = server.issueClientCertificate("com.example.app");
            return ApnsClient.builder()
                    .server(ApnsServer.of(server.uri()))
                    .trustedCertificates(List.of(server.caCertificate()))
                    .clientCertificate(ClientCertificate.of(
                            certificate.privateKey(),
                            certificate.certificateChain().toArray(new X509Certificate[0])))
                    .topic("com.example.app")
                    .build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnIndicator {
        @Bean
        HealthIndicator aapnsKafkaHealthIndicator() {
            return () -> Health.unknown().build();
        }
    }
}
