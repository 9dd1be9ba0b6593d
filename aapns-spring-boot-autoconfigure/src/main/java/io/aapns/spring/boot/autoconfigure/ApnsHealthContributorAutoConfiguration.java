package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.channels.ApnsChannels;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code aapns} health component ({@link ApnsHealthContributor}) when actuator's health is on the classpath and
 * there is an {@link ApnsClient}; {@code management.health.aapns.enabled=false} turns it off. An {@link ApnsChannels}
 * bean shows under {@code channels}.
 */
@AutoConfiguration(after = {ApnsAutoConfiguration.class, ApnsChannelsAutoConfiguration.class})
@ConditionalOnClass({ApnsClient.class, HealthContributor.class})
@ConditionalOnBean(ApnsClient.class)
@ConditionalOnEnabledHealthIndicator("aapns")
public class ApnsHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "aapnsHealthContributor")
    ApnsHealthContributor aapnsHealthContributor(ApnsClient apnsClient, ObjectProvider<ApnsChannels> channels) {
        return new ApnsHealthContributor(apnsClient, Clock.systemUTC(), channels.getIfUnique());
    }
}
