package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code aapns.health.readiness}: the aapns component in Boot's readiness group, or not. */
class ApnsReadinessGroupTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        MockApnsServer apns = mock.server();
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        ApnsAutoConfiguration.class,
                        ApnsHealthContributorAutoConfiguration.class,
                        ApplicationAvailabilityAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class,
                        HealthEndpointAutoConfiguration.class,
                        AvailabilityProbesAutoConfiguration.class))
                .withPropertyValues(
                        "management.endpoint.health.probes.enabled=true",
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD);
    }

    @Test
    void withTheSwitchAapnsIsInTheReadinessGroup() {
        runner().withPropertyValues("aapns.health.readiness=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ApnsReadinessGroup.class);
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups.get("readiness").isMember("aapns")).isTrue();
            assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
            assertThat(groups.get("liveness").isMember("aapns")).isFalse();
        });
    }

    @Test
    void byDefaultReadinessDoesNotDependOnApns() {
        runner().run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ApnsReadinessGroup.class);
            HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
            assertThat(groups.get("readiness").isMember("aapns")).isFalse();
        });
    }

    @Test
    void aReadinessGroupOfTheApplicationsGetsAapnsToo() {
        runner().withPropertyValues(
                        "aapns.health.readiness=true",
                        "management.endpoint.health.probes.enabled=false",
                        "management.endpoint.health.group.readiness.include=ping")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
                    assertThat(groups.get("readiness").isMember("aapns")).isTrue();
                    assertThat(groups.get("readiness").isMember("ping")).isTrue();
                });
    }
}
