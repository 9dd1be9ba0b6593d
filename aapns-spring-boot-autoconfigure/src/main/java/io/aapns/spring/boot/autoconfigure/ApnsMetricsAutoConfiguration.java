package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of the APNs client ({@link ApnsMetrics}) when Micrometer is on the classpath. The bean is both an
 * {@link io.aapns.spi.ApnsListener}, which the client auto-configuration hands to the client, and a
 * {@link io.micrometer.core.instrument.binder.MeterBinder}, which Boot binds to the application's registry.
 */
@AutoConfiguration(before = ApnsAutoConfiguration.class)
@ConditionalOnClass({ApnsClient.class, MeterRegistry.class})
@ConditionalOnProperty(prefix = "aapns", name = "enabled", matchIfMissing = true)
public class ApnsMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApnsMetrics apnsMetrics(ObjectProvider<ApnsClient> client) {
        return new ApnsMetrics(() -> {
            try {
                return client.getIfUnique();
            } catch (BeansException e) {
                return null; // sampled while the context closes
            }
        });
    }
}
