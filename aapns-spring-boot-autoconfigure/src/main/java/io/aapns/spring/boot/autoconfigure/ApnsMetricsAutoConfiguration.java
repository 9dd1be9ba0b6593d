package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of the APNs client ({@link ApnsMetrics}) when Micrometer is on the classpath and the application
 * has a {@link MeterRegistry} bean (without one, the client pays nothing for per-request events). The bean is both a
 * source of listeners, one of which the client auto-configuration hands to each client it makes, and a
 * {@link io.micrometer.core.instrument.binder.MeterBinder}, which Boot binds to the application's registry. It runs
 * after Boot's metrics auto-configuration, which makes the registry, and before the client's.
 */
@AutoConfiguration(
        before = ApnsAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass({ApnsClient.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "aapns", name = "enabled", matchIfMissing = true)
public class ApnsMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApnsMetrics apnsMetrics(ListableBeanFactory beanFactory) {
        return new ApnsMetrics(
                () -> List.of(beanFactory.getBeanNamesForType(ApnsClient.class, true, false)),
                bean -> beanFactory.getBean(bean, ApnsClient.class));
    }
}
