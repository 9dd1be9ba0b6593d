package io.aapns.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the worker ({@link ApnsKafkaMetrics}: records consumed, outcomes, retries, dead letters, pauses,
 * records held and in flight, and the Kafka consumer's own metrics such as commit latency) when Micrometer is on the
 * classpath, the application has a {@link MeterRegistry} bean, and the worker runs in this application. Runs after
 * Boot's metrics auto-configuration, which makes the registry.
 */
@AutoConfiguration(
        after = ApnsKafkaAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, ApnsKafkaWorker.class})
public class ApnsKafkaMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApnsKafkaMetrics apnsKafkaMetrics(ApnsKafkaWorker worker, ObjectProvider<MeterRegistry> registry) {
        // Created before the worker starts, so its consumers' own metrics go to the application's registry.
        return new ApnsKafkaMetrics(worker, registry.getIfUnique());
    }
}
