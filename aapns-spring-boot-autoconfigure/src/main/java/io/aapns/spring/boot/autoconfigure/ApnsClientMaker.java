package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.auth.ClientCertificate;
import io.aapns.connection.ApnsResources;
import io.aapns.spi.ApnsListener;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.ResourceLoader;

/**
 * Makes the auto-configured clients, the top-level one and each named one, the same way: the properties through
 * {@link ApnsClientFactory}, every {@link ApnsListener} bean and a listener of the client's own from each
 * {@link ApnsClientListenerSource}, the shared {@link ApnsResources}, then every {@link ApnsClientBuilderCustomizer};
 * waits for a first connection when {@code initialization-fail-timeout} is set. A named client's configuration errors
 * name its own properties, {@code aapns.clients.<name>.*}.
 */
final class ApnsClientMaker {

    private static final Logger log = LoggerFactory.getLogger(ApnsClientMaker.class);

    private final ApnsResources resources;
    private final ResourceLoader resourceLoader;
    private final ObjectProvider<SslBundles> sslBundles;
    private final ObjectProvider<ApnsListener> listeners;
    private final ObjectProvider<ApnsClientListenerSource> listenerSources;
    private final ObjectProvider<ApnsClientBuilderCustomizer> customizers;

    ApnsClientMaker(
            ApnsResources resources,
            ResourceLoader resourceLoader,
            ObjectProvider<SslBundles> sslBundles,
            ObjectProvider<ApnsListener> listeners,
            ObjectProvider<ApnsClientListenerSource> listenerSources,
            ObjectProvider<ApnsClientBuilderCustomizer> customizers) {
        this.resources = resources;
        this.resourceLoader = resourceLoader;
        this.sslBundles = sslBundles;
        this.listeners = listeners;
        this.listenerSources = listenerSources;
        this.customizers = customizers;
    }

    /** The client of the top-level {@code aapns.*} properties. */
    ApnsClient makeDefault(ApnsProperties properties) {
        return make(ClientNames.DEFAULT, properties);
    }

    /** The client {@code name} of {@code aapns.clients.<name>.*}, whose properties are {@code properties}. */
    ApnsClient makeNamed(String name, ApnsProperties properties) {
        try {
            return make(name, properties);
        } catch (ApnsConfigurationException e) {
            throw e.forClient(name);
        }
    }

    private ApnsClient make(String name, ApnsProperties properties) {
        SslBundles bundles = sslBundles.getIfAvailable();
        // A listener source that is also a plain listener (metrics) gives this client its own listener instead.
        List<ApnsListener> all = new ArrayList<>(listeners
                .orderedStream()
                .filter(l -> !(l instanceof ApnsClientListenerSource))
                .toList());
        listenerSources.orderedStream().forEach(source -> all.add(source.clientListener(name)));
        ApnsClient.Builder builder =
                new ApnsClientFactory(properties, resourceLoader, bundles).builder(ApnsListener.all(all));
        builder.resources(resources);
        customizers.orderedStream().forEach(c -> c.customize(name, builder));
        ApnsClient client = builder.build();
        if (properties.initializationFailTimeout() != null) {
            ApnsClientInitialization.awaitFirstConnection(client, properties.initializationFailTimeout());
        }
        String bundle = properties.certificate().sslBundle();
        if (bundles != null && ApnsProperties.hasText(bundle)) {
            bundles.addBundleUpdateHandler(bundle, updated -> roll(client, bundle, updated));
        }
        return client;
    }

    /**
     * Moves the client onto the certificate of its SSL bundle as reloaded: new connections first, old ones drained,
     * nothing lost ({@link ApnsClient#replaceCertificate}). A bundle whose new key store cannot serve leaves the client
     * on the certificate it has, and says why.
     */
    static void roll(ApnsClient client, String bundle, SslBundle updated) {
        ClientCertificate next;
        try {
            next = ApnsClientFactory.fromBundle(bundle, updated);
        } catch (RuntimeException e) {
            log.error(
                    "SSL bundle '{}' changed, but its new key store cannot serve as the APNs client certificate;"
                            + " the client keeps the certificate it has",
                    bundle,
                    e);
            return;
        }
        client.replaceCertificate(next).whenComplete((done, failure) -> {
            if (failure != null) {
                log.error(
                        "SSL bundle '{}' changed, but APNs did not accept its new certificate; the client keeps the"
                                + " certificate it has",
                        bundle,
                        failure);
            } else {
                log.info(
                        "SSL bundle '{}' changed: the APNs client moved onto its new certificate (expires {})",
                        bundle,
                        next.notAfter());
            }
        });
    }
}
