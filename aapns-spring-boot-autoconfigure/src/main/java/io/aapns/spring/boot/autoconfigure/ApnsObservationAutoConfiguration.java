package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A Micrometer observation around each notification the auto-configured client sends ({@code aapns.send}), when the
 * application has an {@link ObservationRegistry} (Boot makes one with actuator): a trace then shows the push as a span
 * under the request that caused it; and one around each channel management operation of the {@code ApnsChannels} bean
 * ({@code aapns.channel}). {@code aapns.observations.enabled=false} turns them off; without a registry, nothing changes
 * and sends pay nothing.
 */
@AutoConfiguration(
        before = ApnsAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ApnsClient.class, ObservationRegistry.class})
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnProperty(prefix = "aapns.observations", name = "enabled", matchIfMissing = true)
public class ApnsObservationAutoConfiguration {

    @Bean
    ApnsClientBuilderCustomizer apnsObservationCustomizer(ObservationRegistry registry) {
        return new ApnsClientBuilderCustomizer() {
            @Override
            public void customize(ApnsClient.Builder builder) {
                customize(ClientNames.DEFAULT, builder);
            }

            @Override
            public void customize(String clientName, ApnsClient.Builder builder) {
                builder.sendObserver(new ApnsSendObservations(registry, clientName));
            }
        };
    }

    @Bean
    ApnsChannelObservations apnsChannelObservations(ObservationRegistry registry) {
        return new ApnsChannelObservations(registry);
    }
}
