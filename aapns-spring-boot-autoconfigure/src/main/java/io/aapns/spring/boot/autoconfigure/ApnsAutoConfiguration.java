package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.spi.ApnsListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configures an {@link ApnsClient} from the {@code aapns.*} properties ({@link ApnsProperties}), unless the
 * application defines its own or sets {@code aapns.enabled=false}. Every {@link ApnsListener} bean (metrics, your own
 * logging) receives the client's events, and every {@link ApnsClientBuilderCustomizer} bean may change the builder. The
 * client is closed gracefully within {@code aapns.shutdown-timeout} when its bean is destroyed, after the beans that
 * use it.
 *
 * <p>The client opens its connections in the background: start-up does not wait for APNs, and a client that cannot
 * reach it keeps reconnecting. With {@code aapns.initialization-fail-timeout} set, creating the client bean waits up to
 * that long for a first connection, and start-up fails (with {@link ApnsInitializationException}) when none opened.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(ApnsClient.class)
@ConditionalOnProperty(prefix = "aapns", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ApnsProperties.class)
public class ApnsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApnsAutoConfiguration.class);

    /** The client, closed gracefully with its bean, unless the application has its own client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ApnsClient.class)
    static class ClientConfiguration {

        @Bean
        GracefullyClosedBean<ApnsClient> apnsClient(
                ApnsProperties properties,
                ResourceLoader resourceLoader,
                ObjectProvider<SslBundles> sslBundles,
                ObjectProvider<ApnsListener> listeners,
                ObjectProvider<ApnsClientBuilderCustomizer> customizers) {
            return new GracefullyClosedBean<>(
                    ApnsClient.class,
                    () -> makeClient(properties, resourceLoader, sslBundles, listeners, customizers),
                    ApnsClient::closeGracefully,
                    ApnsClient::close,
                    properties.shutdownTimeout());
        }

        private static ApnsClient makeClient(
                ApnsProperties properties,
                ResourceLoader resourceLoader,
                ObjectProvider<SslBundles> sslBundles,
                ObjectProvider<ApnsListener> listeners,
                ObjectProvider<ApnsClientBuilderCustomizer> customizers) {
            SslBundles bundles = sslBundles.getIfAvailable();
            ApnsClient.Builder builder = new ApnsClientFactory(properties, resourceLoader, bundles)
                    .builder(ApnsListener.all(listeners.orderedStream().toList()));
            customizers.orderedStream().forEach(c -> c.customize(builder));
            ApnsClient client = builder.build();
            if (properties.initializationFailTimeout() != null) {
                ApnsClientInitialization.awaitFirstConnection(client, properties.initializationFailTimeout());
            }
            String bundle = properties.certificate().sslBundle();
            if (bundles != null && ApnsProperties.hasText(bundle)) {
                bundles.addBundleUpdateHandler(
                        bundle,
                        updated -> log.warn(
                                "SSL bundle '{}' changed, but the APNs"
                                        + " client keeps the certificate it started with until the application restarts",
                                bundle));
            }
            return client;
        }
    }
}
