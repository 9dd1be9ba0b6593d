package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.channels.ApnsChannels;
import io.aapns.spi.ApnsListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * An {@link ApnsChannels} bean for broadcast channel management when {@code aapns.broadcast.enabled=true} (default
 * false), with the {@link ApnsClient}'s credentials and trust; the management host comes from
 * {@code aapns.environment}, or {@code aapns.broadcast.management-url} (a mock server). Closed gracefully within
 * {@code aapns.shutdown-timeout} when the context closes. With Micrometer, channel operations are counted in
 * {@code aapns.channels.operations} (tags {@code operation}, {@code outcome}, {@code reason}).
 */
@AutoConfiguration(after = ApnsAutoConfiguration.class)
@ConditionalOnClass(ApnsChannels.class)
@ConditionalOnProperty(prefix = "aapns.broadcast", name = "enabled", havingValue = "true")
@ConditionalOnBean({ApnsClient.class, ApnsProperties.class})
public class ApnsChannelsAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    ApnsChannels apnsChannels(
            ApnsClient apnsClient,
            ApnsProperties properties,
            ResourceLoader resourceLoader,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ApnsChannelsListenerSource> listeners) {
        ApnsListener listener = ApnsListener.all(listeners
                .orderedStream()
                .map(ApnsChannelsListenerSource::channelsListener)
                .toList());
        return new ApnsClientFactory(properties, resourceLoader, sslBundles.getIfAvailable())
                .channelsBuilder(apnsClient, listener)
                .build();
    }

    @Bean
    ApnsChannelsShutdown apnsChannelsShutdown(ApnsChannels apnsChannels, ApnsProperties properties) {
        return new ApnsChannelsShutdown(apnsChannels, properties.shutdownTimeout());
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

    /** Closes the channels' pool gracefully when the context closes. */
    static final class ApnsChannelsShutdown implements DisposableBean {
        private static final Logger log = LoggerFactory.getLogger(ApnsChannelsShutdown.class);

        private final ApnsChannels channels;
        private final Duration timeout;

        ApnsChannelsShutdown(ApnsChannels channels, Duration timeout) {
            this.channels = channels;
            this.timeout = timeout;
        }

        @Override
        public void destroy() {
            try {
                channels.closeGracefully(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                log.warn("the APNs channel management client did not close cleanly; closing it now", e);
                channels.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channels.close();
            }
        }
    }
}
