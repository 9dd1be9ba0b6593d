package io.aapns.sample.support;

import io.aapns.mock.MockApnsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The sample applications' out-of-the-box default: when the configuration names no APNs server and no credentials
 * ({@code aapns.url}, {@code aapns.token.key-path}, {@code aapns.certificate.path},
 * {@code aapns.certificate.ssl-bundle} all unset) and {@code sample.embedded-mock} is not {@code false}, it starts an
 * aapns-mock-server on 127.0.0.1 (an ephemeral port), has it issue a client certificate for {@code aapns.topic}, and
 * sets {@code aapns.url}, {@code aapns.trust-certificates}, {@code aapns.certificate.*} and
 * {@code aapns.broadcast.management-url} so that the starter's client and channel management talk to it over real TLS.
 * The mock is the bean {@code mockApnsServer}; it closes with the context, after the client.
 *
 * <p>A sample registers it (or a subclass that changes how the server is built, see {@link #serverBuilder}) in its
 * META-INF/spring.factories.
 */
public class EmbeddedMockApns implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMockApns.class);
    private static final String PASSWORD = "changeit";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!env.getProperty("sample.embedded-mock", Boolean.class, true)
                || !env.getProperty("aapns.enabled", Boolean.class, true)
                || Boolean.getBoolean("spring.aot.processing")) {
            return; // (ahead-of-time processing builds bean definitions only: no server to start)
        }
        for (String configured : new String[] {
            "aapns.url", "aapns.token.key-path", "aapns.certificate.path", "aapns.certificate.ssl-bundle"
        }) {
            if (env.containsProperty(configured)) {
                return;
            }
        }
        String topic = env.getProperty("aapns.topic", "com.example.sample");
        MockApnsServer mock = serverBuilder(env).start();
        Path dir;
        try {
            dir = Files.createTempDirectory("aapns-sample-");
        } catch (IOException e) {
            mock.close();
            throw new UncheckedIOException(e);
        }
        dir.toFile().deleteOnExit();
        Path p12 = mock.issueClientCertificate(topic).writePkcs12(dir.resolve("client.p12"), PASSWORD.toCharArray());
        p12.toFile().deleteOnExit();
        env.getPropertySources()
                .addFirst(new MapPropertySource(
                        "embeddedMockApns",
                        Map.of(
                                "aapns.url", mock.uri().toString(),
                                "aapns.trust-certificates",
                                        mock.caCertificateFile().toUri().toString(),
                                "aapns.certificate.path", p12.toUri().toString(),
                                "aapns.certificate.password", PASSWORD,
                                "aapns.broadcast.management-url",
                                        mock.channelsUri().toString())));
        // A ready singleton rather than a bean definition with an instance supplier, which ahead-of-time
        // processing cannot carry; it closes with the context, after the clients that talk to it.
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        beans.registerSingleton("mockApnsServer", mock);
        if (beans instanceof DefaultListableBeanFactory registry) {
            registry.registerDisposableBean("mockApnsServer", mock::close);
        }
        beans.registerDependentBean("mockApnsServer", "apnsClient");
        beans.registerDependentBean("mockApnsServer", "apnsChannels");
        log.info(
                "No APNs credentials configured: sending to an embedded mock APNs server at {} (client certificate"
                        + " for topic {}). Set aapns.token.* or aapns.certificate.* to send to Apple.",
                mock.uri(),
                topic);
    }

    /**
     * Returns the builder of the mock server, started once the configuration says to: APNs' development environment (it
     * answers with {@code apns-unique-id}), everything else as the mock's defaults.
     */
    protected MockApnsServer.Builder serverBuilder(ConfigurableEnvironment env) {
        return MockApnsServer.builder().development(true);
    }
}
