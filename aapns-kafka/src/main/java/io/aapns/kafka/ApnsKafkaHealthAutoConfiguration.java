package io.aapns.kafka;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code aapnsKafka} health indicator of the worker ({@link ApnsKafkaWorkerHealthIndicator}: container state, lag
 * per partition, records held and in flight) when actuator's health is on the classpath and the worker runs in this
 * application; {@code management.health.aapns-kafka.enabled=false} turns it off, and a bean named
 * {@code aapnsKafkaHealthIndicator} of the application's replaces it.
 */
@AutoConfiguration(after = ApnsKafkaAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(ApnsKafkaWorker.class)
@ConditionalOnEnabledHealthIndicator("aapns-kafka")
public class ApnsKafkaHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "aapnsKafkaHealthIndicator")
    HealthIndicator aapnsKafkaHealthIndicator(ApnsKafkaWorker worker) {
        return new ApnsKafkaWorkerHealthIndicator(worker);
    }
}
