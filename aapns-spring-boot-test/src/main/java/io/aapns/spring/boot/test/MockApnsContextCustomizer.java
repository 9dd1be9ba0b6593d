package io.aapns.spring.boot.test;

import io.aapns.mock.MockApnsServer;
import io.aapns.spring.boot.autoconfigure.ApnsClients;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
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
        SigningKey signingKey = new SigningKey(server, dir.resolve("AuthKey_" + KEY_ID + ".p8"));
        credentials("aapns", authentication, bundleId, server, signingKey, dir, properties);
        List<String> clients = ApnsClients.configuredNames(env);
        for (String name : clients) {
            String prefix = "aapns.clients." + name;
            String clientTopic = bound(env, prefix + ".topic").orElse(bundleId);
            properties.put(prefix + ".url", server.uri().toString());
            properties.put(
                    prefix + ".trust-certificates",
                    server.caCertificateFile().toUri().toString());
            properties.put(prefix + ".topic", clientTopic);
            credentials(
                    prefix,
                    authenticationOf(env, prefix),
                    clientTopic,
                    server,
                    signingKey,
                    dir.resolve(name),
                    properties);
        }
        env.getPropertySources().addFirst(new MapPropertySource("aapnsMockApns", properties));
        register(context, server, clients);
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
    private static void register(ConfigurableApplicationContext context, MockApnsServer server, List<String> clients) {
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
        for (String name : clients) {
            beans.registerDependentBean(BEAN_NAME, ApnsClients.beanName(name));
        }
    }

    /**
     * Puts the properties of one client's credentials under {@code prefix}: one kind only, the other kind blanked out
     * whatever the configuration says, issued by {@code server} into {@code dir}.
     */
    private static void credentials(
            String prefix,
            Authentication kind,
            String topic,
            MockApnsServer server,
            SigningKey signingKey,
            Path dir,
            Map<String, Object> properties) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.put(prefix + ".certificate.ssl-bundle", "");
        properties.put(prefix + ".certificate.key-path", "");
        if (kind == Authentication.TOKEN) {
            properties.put(prefix + ".token.key-path", signingKey.file().toUri().toString());
            properties.put(prefix + ".token.key-id", KEY_ID);
            properties.put(prefix + ".token.team-id", TEAM_ID);
            properties.put(prefix + ".certificate.path", "");
            properties.put(prefix + ".certificate.password", "");
        } else {
            Path p12 =
                    server.issueClientCertificate(topic).writePkcs12(dir.resolve("client.p12"), PASSWORD.toCharArray());
            properties.put(prefix + ".certificate.path", p12.toUri().toString());
            properties.put(prefix + ".certificate.password", PASSWORD);
            properties.put(prefix + ".token.key-path", "");
            properties.put(prefix + ".token.key-id", "");
            properties.put(prefix + ".token.team-id", "");
        }
    }

    /**
     * How a named client authenticates to the mock: as its own configuration says (token properties: a token; client
     * certificate properties: a certificate), else as the annotation says.
     */
    private Authentication authenticationOf(ConfigurableEnvironment env, String prefix) {
        if (bound(env, prefix + ".token.key-id").isPresent()
                || bound(env, prefix + ".token.key-path").isPresent()) {
            return Authentication.TOKEN;
        }
        if (bound(env, prefix + ".certificate.path").isPresent()
                || bound(env, prefix + ".certificate.ssl-bundle").isPresent()) {
            return Authentication.CERTIFICATE;
        }
        return authentication;
    }

    /** The non-empty value of {@code name} in {@code env}, in any of Boot's spellings (environment variables too). */
    private static Optional<String> bound(ConfigurableEnvironment env, String name) {
        return Optional.ofNullable(Binder.get(env).bind(name, String.class).orElse(null))
                .filter(v -> !v.isBlank());
    }

    /**
     * The one signing key of a server's token clients, made on first use: a P-256 key pair whose private key is written
     * as a .p8 file for the clients and whose public key is registered with the server (every token client signs with
     * it, since the server knows one key per key id).
     */
    private static final class SigningKey {

        private final MockApnsServer server;
        private final Path file;
        private boolean written;

        SigningKey(MockApnsServer server, Path file) {
            this.server = server;
            this.file = file;
        }

        Path file() {
            if (!written) {
                write();
                written = true;
            }
            return file;
        }

        private void write() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                server.registerSigningKey(TEAM_ID, KEY_ID, pair.getPublic());
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                Files.writeString(file, pem, StandardCharsets.US_ASCII);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a P-256 signing key for the mock APNs server", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
