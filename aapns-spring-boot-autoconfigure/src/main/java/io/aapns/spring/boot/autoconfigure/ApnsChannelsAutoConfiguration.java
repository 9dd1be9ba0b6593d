package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.channels.ApnsChannels;
import io.aapns.channels.ChannelObserver;
import io.aapns.connection.ApnsResources;
import io.aapns.spi.ApnsListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * An {@link ApnsChannels} bean for broadcast channel management when {@code aapns.broadcast.enabled=true} (default
 * false), with the {@link ApnsClient}'s credentials and trust; the management host comes from
 * {@code aapns.environment}, or {@code aapns.broadcast.management-url} (a mock server). Closed gracefully within
 * {@code aapns.shutdown-timeout} when its bean is destroyed, after the beans that use it. With Micrometer, channel
 * operations are counted in {@code aapns.channels.operations} (tags {@code operation}, {@code outcome},
 * {@code reason}). With several clients, the channels go with the primary one (its credentials and, for a named client,
 * its {@code aapns.clients.<name>.*} properties); with several and none primary, there is no {@code ApnsChannels} bean.
 */
@AutoConfiguration(after = ApnsAutoConfiguration.class)
@ConditionalOnClass(ApnsChannels.class)
@ConditionalOnProperty(prefix = "aapns.broadcast", name = "enabled", havingValue = "true")
@ConditionalOnSingleCandidate(ApnsClient.class)
@ConditionalOnBean(ApnsProperties.class)
public class ApnsChannelsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ApnsChannels.class)
    GracefullyClosedBean<ApnsChannels> apnsChannels(
            ApnsClient apnsClient,
            ApnsProperties topLevel,
            ObjectProvider<NamedClientProperties> namedClients,
            ConfigurableListableBeanFactory beanFactory,
            ResourceLoader resourceLoader,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ApnsChannelsListenerSource> listeners,
            ObjectProvider<ChannelObserver> observers,
            ObjectProvider<ApnsResources> resources) {
        ApnsProperties properties = ownerProperties(topLevel, namedClients.getIfAvailable(), beanFactory);
        return new GracefullyClosedBean<>(
                ApnsChannels.class,
                () -> {
                    ApnsListener listener = ApnsListener.all(listeners
                            .orderedStream()
                            .map(ApnsChannelsListenerSource::channelsListener)
                            .toList());
                    ApnsChannels.Builder builder = new ApnsClientFactory(
                                    properties, resourceLoader, sslBundles.getIfAvailable())
                            .channelsBuilder(apnsClient, listener)
                            .observer(observers.getIfUnique(() -> ChannelObserver.NONE));
                    ApnsResources shared = resources.getIfUnique();
                    if (shared != null) {
                        builder.resources(shared);
                    }
                    return builder.build();
                },
                ApnsChannels::closeGracefully,
                ApnsChannels::close,
                properties.shutdownTimeout());
    }

    /**
     * The properties of the client the channels go with: a named client's own when that client is the single candidate
     * (the only or the primary {@code ApnsClient}), else the top-level ones.
     */
    static ApnsProperties ownerProperties(
            ApnsProperties topLevel, NamedClientProperties named, ConfigurableListableBeanFactory beanFactory) {
        if (named == null) {
            return topLevel;
        }
        return ClientNames.singleCandidate(beanFactory)
                .map(ClientNames::ofBean)
                .filter(named.names()::contains)
                .map(named::properties)
                .orElse(topLevel);
    }

    /** Channel operation metrics, when Micrometer is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        ApnsChannelsMetrics apnsChannelsMetrics() {
            return new ApnsChannelsMetrics();
        }
    }
}
