package io.aapns.spring.boot.test;

import io.aapns.mock.MockApnsServer;
import io.aapns.spring.boot.test.AutoConfigureMockApns.Authentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a mock APNs server for one test context, issues the client's credentials, and sets the {@code aapns.*}
 * properties that point the auto-configured client at it. Equal customizers (same attributes) let Spring's context
 * cache share a context.
 */
final class MockApnsContextCustomizer implements ContextCustomizer {

    /** The bean name of the server in the test context. */
    static final String BEAN_NAME = "mockApnsServer";

    static final String KEY_ID = "MOCKKEY123";
    static final String TEAM_ID = "MOCKTEAM12";
    private static final String PASSWORD = "mock-apns";
    private static final String DEFAULT_TOPIC = "com.example.app";

    private final String topic;
    private final Authentication authentication;
    private final boolean development;

    MockApnsContextCustomizer(String topic, Authentication authentication, boolean development) {
        this.topic = topic;
        this.authentication = authentication;
        this.development = development;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        if (Boolean.getBoolean("spring.aot.processing")) {
            return; // ahead-of-time processing builds bean definitions only: no server to start
        }
        ConfigurableEnvironment env = context.getEnvironment();
        String bundleId = !topic.isEmpty() ? topic : env.getProperty("aapns.topic", DEFAULT_TOPIC);
        MockApnsServer server =
                MockApnsServer.builder().development(development).start();
        Path dir;
        try {
            dir = Files.createTempDirectory("aapns-test-");
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(e);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("aapns.url", server.uri().toString());
        properties.put(
                "aapns.trust-certificates", server.caCertificateFile().toUri().toString());
        properties.put("aapns.topic", bundleId);
        // One kind of credentials only: blank out the other kind, whatever the configuration says.
        properties.put("aapns.certificate.ssl-bundle", "");
        properties.put("aapns.certificate.key-path", "");
        if (authentication == Authentication.TOKEN) {
            Path p8 = writeSigningKey(server, dir.resolve("AuthKey_" + KEY_ID + ".p8"));
            properties.put("aapns.token.key-path", p8.toUri().toString());
            properties.put("aapns.token.key-id", KEY_ID);
            properties.put("aapns.token.team-id", TEAM_ID);
            properties.put("aapns.certificate.path", "");
            properties.put("aapns.certificate.password", "");
        } else {
            Path p12 = server.issueClientCertificate(bundleId)
                    .writePkcs12(dir.resolve("client.p12"), PASSWORD.toCharArray());
            properties.put("aapns.certificate.path", p12.toUri().toString());
            properties.put("aapns.certificate.password", PASSWORD);
            properties.put("aapns.token.key-path", "");
            properties.put("aapns.token.key-id", "");
            properties.put("aapns.token.team-id", "");
        }
        env.getPropertySources().addFirst(new MapPropertySource("aapnsMockApns", properties));
        register(context, server);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                deleteQuietly(dir);
            }
        });
    }

    /**
     * The server as a ready singleton (not a bean definition with an instance supplier, which ahead-of-time processing
     * cannot carry), closed with the context after the client that talks to it.
     */
    private static void register(ConfigurableApplicationContext context, MockApnsServer server) {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        beans.registerSingleton(BEAN_NAME, server);
        if (beans instanceof DefaultListableBeanFactory registry) {
            registry.registerDisposableBean(BEAN_NAME, server::close);
        } else {
            context.addApplicationListener(event -> {
                if (event instanceof ContextClosedEvent) {
                    server.close();
                }
            });
        }
        beans.registerDependentBean(BEAN_NAME, "apnsClient");
        beans.registerDependentBean(BEAN_NAME, "apnsChannels");
    }

    /** A P-256 key pair: the private key as a .p8 file for the client, the public key registered with the server. */
    private static Path writeSigningKey(MockApnsServer server, Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            server.registerSigningKey(TEAM_ID, KEY_ID, pair.getPublic());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a P-256 signing key for the mock APNs server", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MockApnsContextCustomizer other
                && topic.equals(other.topic)
                && authentication == other.authentication
                && development == other.development;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, authentication, development);
    }
}
