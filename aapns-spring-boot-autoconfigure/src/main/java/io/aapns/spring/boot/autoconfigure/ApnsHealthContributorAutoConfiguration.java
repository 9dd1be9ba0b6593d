package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.channels.ApnsChannels;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code aapns} health component ({@link ApnsHealthContributor}) when actuator's health is on the classpath and
 * there is an {@link ApnsClient}; {@code management.health.aapns.enabled=false} turns it off. With several
 * {@code ApnsClient} beans, {@code aapns} has one entry per client, named as {@link ClientNames} says ({@code <name>}
 * for a named client, the bean name for an application's own), each an {@link ApnsHealthContributor}. A bean named
 * {@code aapnsHealthContributor} or {@code aapnsHealthIndicator} of the application's replaces it. An
 * {@link ApnsChannels} bean shows under {@code channels} of the client it goes with. With
 * {@code aapns.health.readiness=true}, {@code aapns} is also a member of the readiness group
 * ({@link ApnsReadinessGroup}).
 */
@AutoConfiguration(
        after = {ApnsAutoConfiguration.class, ApnsChannelsAutoConfiguration.class},
        afterName =
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
@ConditionalOnClass({ApnsClient.class, HealthContributor.class})
@ConditionalOnBean(ApnsClient.class)
@ConditionalOnEnabledHealthIndicator("aapns")
public class ApnsHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = {"aapnsHealthContributor", "aapnsHealthIndicator"})
    HealthContributor aapnsHealthContributor(
            ConfigurableListableBeanFactory beanFactory, ObjectProvider<ApnsChannels> channels) {
        Map<String, ApnsClient> clients = beanFactory.getBeansOfType(ApnsClient.class, true, false);
        ApnsChannels management = channels.getIfUnique();
        if (clients.size() == 1) {
            return new ApnsHealthContributor(clients.values().iterator().next(), Clock.systemUTC(), management);
        }
        String owner = management == null
                ? null
                : ClientNames.singleCandidate(beanFactory).orElse(null);
        Map<String, HealthContributor> entries = new LinkedHashMap<>();
        clients.forEach((bean, client) -> entries.put(
                ClientNames.ofBean(bean),
                new ApnsHealthContributor(client, Clock.systemUTC(), bean.equals(owner) ? management : null)));
        return CompositeHealthContributor.fromMap(entries);
    }

    /** With {@code aapns.health.readiness=true}: {@code aapns} in the readiness group. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            name = {
                "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor",
                "org.springframework.boot.actuate.endpoint.SecurityContext"
            })
    @ConditionalOnBooleanProperty("aapns.health.readiness")
    static class ReadinessConfiguration {

        @Bean
        ApnsReadinessGroup aapnsReadinessGroup() {
            return new ApnsReadinessGroup();
        }
    }
}
