package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.connection.ApnsResources;
import io.aapns.spi.ApnsListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configures an {@link ApnsClient} from the {@code aapns.*} properties ({@link ApnsProperties}), unless the
 * application defines its own or sets {@code aapns.enabled=false}; or, when {@code aapns.clients.<name>.*} names
 * clients, one {@code <name>ApnsClient} bean per name (a property not set for a client is taken from {@code aapns.*})
 * and {@link ApnsClients}, and then no top-level client. All of them run on one shared {@link ApnsResources} bean.
 * Every {@link ApnsListener} bean (metrics, your own logging) receives the clients' events, and every
 * {@link ApnsClientBuilderCustomizer} bean may change their builders. A client is closed gracefully within its
 * {@code shutdown-timeout} when its bean is destroyed, after the beans that use it.
 *
 * <p>A client opens its connections in the background: start-up does not wait for APNs, and a client that cannot reach
 * it keeps reconnecting. With {@code initialization-fail-timeout} set, creating the client bean waits up to that long
 * for a first connection, and start-up fails (with {@link ApnsInitializationException}) when none opened.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(ApnsClient.class)
@ConditionalOnProperty(prefix = "aapns", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ApnsProperties.class)
public class ApnsAutoConfiguration {

    /** The event loops every auto-configured client and the channel manager share; closed after them. */
    @Bean
    @ConditionalOnMissingBean
    ApnsResources aapnsResources() {
        return ApnsResources.create();
    }

    @Bean
    @ConditionalOnMissingBean
    ApnsClientMaker aapnsClientMaker(
            ApnsResources resources,
            ResourceLoader resourceLoader,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ApnsListener> listeners,
            ObjectProvider<ApnsClientListenerSource> listenerSources,
            ObjectProvider<ApnsClientBuilderCustomizer> customizers) {
        return new ApnsClientMaker(resources, resourceLoader, sslBundles, listeners, listenerSources, customizers);
    }

    /** The client of the top-level properties, unless the application has its own client or names clients. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(ApnsClient.class)
    @Conditional(NoNamedClients.class)
    static class ClientConfiguration {

        @Bean
        GracefullyClosedBean<ApnsClient> apnsClient(ApnsProperties properties, ApnsClientMaker maker) {
            return new GracefullyClosedBean<>(
                    ApnsClient.class,
                    () -> maker.makeDefault(properties),
                    ApnsClient::closeGracefully,
                    ApnsClient::close,
                    properties.shutdownTimeout());
        }
    }

    /** The named clients of {@code aapns.clients.<name>.*} and {@link ApnsClients}. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(NamedClients.class)
    @Import(NamedClientsRegistrar.class)
    static class NamedClientsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        NamedClientProperties aapnsNamedClientProperties(Environment environment) {
            return new NamedClientProperties(environment);
        }

        @Bean
        @ConditionalOnMissingBean
        ApnsClients apnsClients(NamedClientProperties named, ListableBeanFactory beanFactory) {
            Map<String, ApnsClient> clients = new LinkedHashMap<>();
            for (String name : named.names()) {
                String bean = ClientNames.beanOf(name);
                if (beanFactory.containsBean(bean)) {
                    clients.put(name, beanFactory.getBean(bean, ApnsClient.class));
                }
            }
            return new ApnsClients(clients);
        }
    }

    /** Matches when {@code aapns.clients.<name>.*} names at least one client. */
    static final class NamedClients extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var names = new NamedClientProperties(context.getEnvironment()).names();
            return names.isEmpty()
                    ? ConditionOutcome.noMatch("no aapns.clients.<name>.* properties")
                    : ConditionOutcome.match("named clients " + names);
        }
    }

    /** Matches when no client is named: the top-level properties make the one client. */
    static final class NoNamedClients extends NoneNestedConditions {

        NoNamedClients() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @Conditional(NamedClients.class)
        static final class Named {}
    }
}
