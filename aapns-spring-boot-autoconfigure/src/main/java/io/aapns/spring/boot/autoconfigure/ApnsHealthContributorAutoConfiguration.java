package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.channels.ApnsChannels;
import java.time.Clock;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code aapns} health component ({@link ApnsHealthContributor}) when actuator's health is on the classpath and
 * there is an {@link ApnsClient}; {@code management.health.aapns.enabled=false} turns it off. With several
 * {@code ApnsClient} beans, {@code aapns} has one entry per bean name, each an {@link ApnsHealthContributor}. A bean
 * named {@code aapnsHealthContributor} or {@code aapnsHealthIndicator} of the application's replaces it. An
 * {@link ApnsChannels} bean shows under {@code channels} (of the client, or of each client with several).
 */
@AutoConfiguration(after = {ApnsAutoConfiguration.class, ApnsChannelsAutoConfiguration.class})
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
        return CompositeHealthContributor.fromMap(
                clients, client -> new ApnsHealthContributor(client, Clock.systemUTC(), management));
    }
}
