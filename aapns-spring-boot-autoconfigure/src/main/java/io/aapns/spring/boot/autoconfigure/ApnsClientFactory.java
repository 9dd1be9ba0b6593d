package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.auth.ClientCertificate;
import io.aapns.auth.CredentialException;
import io.aapns.auth.SigningKey;
import io.aapns.channels.ApnsChannelServer;
import io.aapns.channels.ApnsChannels;
import io.aapns.pool.RetryPolicy;
import io.aapns.spi.ApnsListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Turns {@link ApnsProperties} into an {@link ApnsClient.Builder}: resolves the server, reads the credentials and
 * trusted certificates from resource locations or an SSL bundle, and reports every misconfiguration as an
 * {@link ApnsConfigurationException} that names the property to fix.
 */
final class ApnsClientFactory {

    private final ApnsProperties properties;
    private final ResourceLoader resourceLoader;
    private final SslBundles sslBundles;

    /** @param sslBundles the application's SSL bundles, or {@code null} when there are none */
    ApnsClientFactory(ApnsProperties properties, ResourceLoader resourceLoader, SslBundles sslBundles) {
        this.properties = properties;
        // As Boot's SSL auto-configuration does: a plain path is a file (relative to the working
        // directory), classpath: and file: prefixes as usual.
        this.resourceLoader = ApplicationResourceLoader.get(resourceLoader, true);
        this.sslBundles = sslBundles;
    }

    /** A builder with everything the properties say; the caller adds listeners and customizations. */
    public ApnsClient.Builder builder(ApnsListener listener) {
        ApnsProperties p = properties;
        ApnsClient.Builder builder = ApnsClient.builder().server(server(p)).listener(listener);
        boolean certificate = p.certificate().configured();
        boolean token = p.token().configured();
        if (certificate && token) {
            throw new ApnsConfigurationException(
                    "Both token authentication (aapns.token.*) and certificate authentication (aapns.certificate.*) are"
                            + " configured; an APNs client uses one.",
                    "Keep either aapns.token.key-path, key-id and team-id (a .p8 signing key, recommended) or"
                            + " aapns.certificate.ssl-bundle / aapns.certificate.path (a client certificate), and remove"
                            + " the other.",
                    null);
        }
        if (!certificate && !token) {
            throw new ApnsConfigurationException(
                    "No APNs credentials are configured: neither aapns.token.* nor aapns.certificate.* is set.",
                    "Set aapns.token.key-path (your AuthKey_<key id>.p8), aapns.token.key-id and aapns.token.team-id"
                            + " for token authentication, or aapns.certificate.ssl-bundle, or aapns.certificate.path"
                            + " (and password) for certificate authentication. To run without APNs, set"
                            + " aapns.enabled=false.",
                    null);
        }
        if (ApnsProperties.hasText(p.certificate().sslBundle())
                && (ApnsProperties.hasText(p.certificate().path())
                        || ApnsProperties.hasText(p.certificate().keyPath()))) {
            throw new ApnsConfigurationException(
                    "aapns.certificate.ssl-bundle and aapns.certificate.path/key-path are both set; the client"
                            + " certificate comes from one of them.",
                    "Remove aapns.certificate.path and key-path to use SSL bundle '"
                            + p.certificate().sslBundle()
                            + "', or remove aapns.certificate.ssl-bundle to read the files.",
                    null);
        }
        List<X509Certificate> trusted = null;
        if (token) {
            builder.signingKey(signingKey(p.token()));
        } else if (ApnsProperties.hasText(p.certificate().sslBundle())) {
            SslBundle bundle = sslBundle(p.certificate().sslBundle());
            builder.clientCertificate(fromBundle(p.certificate().sslBundle(), bundle));
            trusted = trustStoreCertificates(bundle.getStores().getTrustStore());
        } else {
            builder.clientCertificate(clientCertificate(p.certificate()));
        }
        if (ApnsProperties.hasText(p.trustCertificates())) {
            trusted = trustCertificates(p.trustCertificates());
        }
        if (trusted != null && !trusted.isEmpty()) {
            builder.trustedCertificates(trusted);
        }
        if (ApnsProperties.hasText(p.topic())) {
            check(
                    "aapns.topic",
                    () -> builder.topic(p.topic()),
                    "Set aapns.topic to your app's bundle id, such as" + " com.example.app.");
        }
        check("aapns.pool.size", () -> builder.poolSize(p.pool().size()), "Set aapns.pool.size to 1 or more.");
        check(
                "aapns.pool.max-pending",
                () -> builder.maxPending(p.pool().maxPending()),
                "Set aapns.pool.max-pending to 0 or more.");
        check(
                "aapns.connect-timeout",
                () -> builder.connectTimeout(p.connectTimeout()),
                "Set aapns.connect-timeout to a positive duration such as 10s.");
        check(
                "aapns.request-timeout",
                () -> builder.requestTimeout(p.requestTimeout()),
                "Set aapns.request-timeout to a positive duration such as 10s.");
        check(
                "aapns.ping-interval",
                () -> builder.pingInterval(p.pingInterval()),
                "Set aapns.ping-interval to a positive duration such as 60s.");
        check(
                "aapns.ping-timeout",
                () -> builder.pingTimeout(p.pingTimeout()),
                "Set aapns.ping-timeout to a positive duration such as 5s.");
        builder.frameLogging(p.frameLogging());
        check(
                "aapns.pool.attempt-timeout",
                () -> builder.attemptTimeout(p.pool().attemptTimeout()),
                "Set aapns.pool.attempt-timeout to a positive duration such as 3s (shorter than"
                        + " aapns.request-timeout, so that a notification left unanswered can be sent again).");
        check(
                "aapns.pool.max-unsafe-retries",
                () -> builder.maxUnsafeRetries(p.pool().maxUnsafeRetries()),
                "Set aapns.pool.max-unsafe-retries to 0 (never send again what may have been delivered) or more"
                        + " (default 1).");
        if (p.initializationFailTimeout() != null) {
            check(
                    "aapns.initialization-fail-timeout",
                    () -> builder.startTimeout(p.initializationFailTimeout()).closeOnStartTimeout(true),
                    "Set aapns.initialization-fail-timeout to a positive duration such as 30s, or remove it to"
                            + " start without waiting for APNs.");
        }
        check(
                "aapns.retry.*",
                () -> builder.retryPolicy(RetryPolicy.builder()
                        .initialBackoff(p.retry().initialBackoff())
                        .maxBackoff(p.retry().maxBackoff())
                        .build()),
                "Set aapns.retry.initial-backoff to a positive duration and aapns.retry.max-backoff to one at least as"
                        + " long.");
        ProxySettings.apply(builder, p.proxy());
        return builder;
    }

    /**
     * A builder of the {@link ApnsChannels} that go with {@code client}: its credentials (the very signing key or
     * certificate it uses), the trust the properties name, the bundle id {@code aapns.topic}, the client's timeouts,
     * and the management host ({@code aapns.broadcast.management-url}, else Apple's for {@code aapns.environment}).
     */
    public ApnsChannels.Builder channelsBuilder(ApnsClient client, ApnsListener listener) {
        ApnsProperties p = properties;
        ApnsChannels.Builder builder =
                ApnsChannels.builder().server(channelServer(p)).listener(listener);
        client.signingKey().ifPresent(builder::signingKey);
        client.clientCertificate().ifPresent(builder::clientCertificate);
        List<X509Certificate> trusted = null;
        if (ApnsProperties.hasText(p.trustCertificates())) {
            trusted = trustCertificates(p.trustCertificates());
        } else if (ApnsProperties.hasText(p.certificate().sslBundle())) {
            trusted = trustStoreCertificates(
                    sslBundle(p.certificate().sslBundle()).getStores().getTrustStore());
        }
        if (trusted != null && !trusted.isEmpty()) {
            builder.trustedCertificates(trusted);
        }
        if (!ApnsProperties.hasText(p.topic())) {
            throw new ApnsConfigurationException(
                    "aapns.broadcast.enabled is true but aapns.topic is not set: channels belong to an app.",
                    "Set aapns.topic to your app's bundle id, such as com.example.app, or set"
                            + " aapns.broadcast.enabled=false.",
                    null);
        }
        check(
                "aapns.topic",
                () -> builder.bundleId(p.topic()),
                "Set aapns.topic to your app's bare bundle id, such as com.example.app (no .push-type suffix).");
        check(
                "aapns.broadcast.pool-size",
                () -> builder.poolSize(p.broadcast().poolSize()),
                "Set aapns.broadcast.pool-size to 1 or 2.");
        builder.connectTimeout(p.connectTimeout())
                .requestTimeout(p.requestTimeout())
                .pingInterval(p.pingInterval())
                .pingTimeout(p.pingTimeout())
                .attemptTimeout(p.pool().attemptTimeout())
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(p.retry().initialBackoff())
                        .maxBackoff(p.retry().maxBackoff())
                        .build());
        return builder;
    }

    /**
     * The channel management host the properties name: aapns.broadcast.management-url, else Apple's for
     * aapns.environment.
     */
    public static ApnsChannelServer channelServer(ApnsProperties p) {
        URI url = p.broadcast().managementUrl();
        if (url != null) {
            try {
                return ApnsChannelServer.of(url);
            } catch (IllegalArgumentException e) {
                throw new ApnsConfigurationException(
                        "aapns.broadcast.management-url '" + url + "' is not an https origin: " + e.getMessage(),
                        "Set aapns.broadcast.management-url to https://host[:port] (no path), or remove it to use"
                                + " Apple's management host of aapns.environment.",
                        e);
            }
        }
        return p.environment() == ApnsProperties.Environment.DEVELOPMENT
                ? ApnsChannelServer.development()
                : ApnsChannelServer.production();
    }

    /** The server the properties name: aapns.url, else aapns.environment, on port 2197 with aapns.alt-port. */
    public static ApnsServer server(ApnsProperties p) {
        ApnsServer server;
        if (p.url() != null) {
            try {
                server = ApnsServer.of(p.url());
            } catch (IllegalArgumentException e) {
                throw new ApnsConfigurationException(
                        "aapns.url '" + p.url() + "' is not an https origin: " + e.getMessage(),
                        "Set aapns.url to https://host[:port] (no path), or remove it and set"
                                + " aapns.environment to production or development.",
                        e);
            }
        } else {
            server = p.environment() == ApnsProperties.Environment.DEVELOPMENT
                    ? ApnsServer.development()
                    : ApnsServer.production();
        }
        return p.altPort() ? server.altPort() : server;
    }

    private SigningKey signingKey(ApnsProperties.Token t) {
        if (!ApnsProperties.hasText(t.keyPath())
                || !ApnsProperties.hasText(t.keyId())
                || !ApnsProperties.hasText(t.teamId())) {
            List<String> missing = new ArrayList<>();
            if (!ApnsProperties.hasText(t.keyPath())) {
                missing.add("aapns.token.key-path");
            }
            if (!ApnsProperties.hasText(t.keyId())) {
                missing.add("aapns.token.key-id");
            }
            if (!ApnsProperties.hasText(t.teamId())) {
                missing.add("aapns.token.team-id");
            }
            throw new ApnsConfigurationException(
                    "Token authentication is incomplete: " + String.join(", ", missing)
                            + (missing.size() == 1 ? " is" : " are") + " not set.",
                    "Set aapns.token.key-path to the .p8 file from Apple Developer > Keys, aapns.token.key-id to its"
                            + " 10-character key id and aapns.token.team-id to your 10-character team id.",
                    null);
        }
        Resource resource = existing("aapns.token.key-path", t.keyPath());
        try (InputStream in = resource.getInputStream()) {
            return SigningKey.fromP8(in, t.keyId(), t.teamId());
        } catch (IOException e) {
            throw unreadable("aapns.token.key-path", t.keyPath(), e);
        } catch (CredentialException e) {
            String message = e.getMessage();
            if (e.kind() == CredentialException.Kind.INVALID_ID) {
                throw new ApnsConfigurationException(
                        "aapns.token.key-id or aapns.token.team-id is wrong: " + message,
                        "Set aapns.token.key-id to the key's 10-character id (it is also in the file name"
                                + " AuthKey_<key id>.p8) and aapns.token.team-id to your 10-character team id.",
                        e);
            }
            throw new ApnsConfigurationException(
                    "aapns.token.key-path '" + t.keyPath() + "' is not an APNs signing key: " + message,
                    "Point aapns.token.key-path at the AuthKey_<key id>.p8 file downloaded from Apple Developer >"
                            + " Certificates, Identifiers & Profiles > Keys (an EC P-256 key in PEM PKCS#8, starting"
                            + " with -----BEGIN PRIVATE KEY-----).",
                    e);
        }
    }

    private ClientCertificate clientCertificate(ApnsProperties.Certificate c) {
        if (!ApnsProperties.hasText(c.path())) {
            throw new ApnsConfigurationException(
                    "aapns.certificate.key-path is set but aapns.certificate.path is not.",
                    "Set aapns.certificate.path to the PEM certificate chain that goes with the key, or use a"
                            + " PKCS#12 file in aapns.certificate.path alone.",
                    null);
        }
        char[] password = c.password() == null ? null : c.password().toCharArray();
        Resource certificate = existing("aapns.certificate.path", c.path());
        if (!ApnsProperties.hasText(c.keyPath())) {
            try (InputStream in = certificate.getInputStream()) {
                return ClientCertificate.fromPkcs12(in, password);
            } catch (IOException e) {
                throw unreadable("aapns.certificate.path", c.path(), e);
            } catch (CredentialException e) {
                if (e.kind() == CredentialException.Kind.WRONG_PASSWORD
                        || e.kind() == CredentialException.Kind.PASSWORD_REQUIRED) {
                    throw wrongPassword("aapns.certificate.path", c.path(), "the PKCS#12 file", e);
                }
                throw new ApnsConfigurationException(
                        "aapns.certificate.path '" + c.path()
                                + "' is not a PKCS#12 file with a certificate and its key: " + e.getMessage(),
                        "Point aapns.certificate.path at the .p12 exported from Keychain Access (certificate with"
                                + " its private key), or at a PEM certificate chain and set aapns.certificate.key-path"
                                + " to its PEM private key.",
                        e);
            }
        }
        Resource key = existing("aapns.certificate.key-path", c.keyPath());
        try (InputStream certIn = certificate.getInputStream();
                InputStream keyIn = key.getInputStream()) {
            return ClientCertificate.fromPem(certIn, keyIn, password);
        } catch (IOException e) {
            throw unreadable("aapns.certificate.path", c.path(), e);
        } catch (CredentialException e) {
            String message = String.valueOf(e.getMessage());
            if (e.kind() == CredentialException.Kind.WRONG_PASSWORD) {
                throw wrongPassword("aapns.certificate.key-path", c.keyPath(), "the encrypted private key", e);
            }
            if (e.kind() == CredentialException.Kind.PASSWORD_REQUIRED) {
                throw new ApnsConfigurationException(
                        "The private key in aapns.certificate.key-path '" + c.keyPath()
                                + "' is encrypted and aapns.certificate.password is not set.",
                        "Set aapns.certificate.password to the key's password.",
                        e);
            }
            throw new ApnsConfigurationException(
                    "aapns.certificate.path '" + c.path() + "' and"
                            + " aapns.certificate.key-path '" + c.keyPath()
                            + "' are not a PEM certificate and private key: "
                            + message,
                    "Point aapns.certificate.path at a PEM certificate chain (leaf first) and"
                            + " aapns.certificate.key-path at its PEM PKCS#8 private key (convert other formats with"
                            + " 'openssl pkcs8 -topk8').",
                    e);
        }
    }

    private SslBundle sslBundle(String name) {
        if (sslBundles == null) {
            throw new ApnsConfigurationException(
                    "aapns.certificate.ssl-bundle is '" + name + "' but the application has no SSL bundles.",
                    "Define the bundle under spring.ssl.bundle.jks." + name + " (a PKCS#12 key store) or"
                            + " spring.ssl.bundle.pem." + name + " (PEM certificate and private key).",
                    null);
        }
        try {
            return sslBundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new ApnsConfigurationException(
                    "aapns.certificate.ssl-bundle is '" + name
                            + "' but there is no SSL bundle of that name"
                            + (sslBundles.getBundleNames().isEmpty()
                                    ? ""
                                    : " (known bundles: " + String.join(", ", sslBundles.getBundleNames()) + ")")
                            + ".",
                    "Define the bundle under spring.ssl.bundle.jks." + name + " or spring.ssl.bundle.pem." + name
                            + ", or correct aapns.certificate.ssl-bundle.",
                    e);
        }
    }

    /** The client certificate in an SSL bundle's key store (the bundle's key alias, or its only key entry). */
    static ClientCertificate fromBundle(String name, SslBundle bundle) {
        KeyStore keyStore = bundle.getStores().getKeyStore();
        String action = "Give SSL bundle '" + name + "' a key store holding the APNs client certificate with its"
                + " private key (spring.ssl.bundle.jks." + name + ".keystore.* or spring.ssl.bundle.pem." + name
                + ".keystore.certificate and .private-key).";
        if (keyStore == null) {
            throw new ApnsConfigurationException(
                    "SSL bundle '" + name + "' (aapns.certificate.ssl-bundle) has no key" + " store.", action, null);
        }
        String keyPassword = bundle.getKey().getPassword() != null
                ? bundle.getKey().getPassword()
                : bundle.getStores().getKeyStorePassword();
        char[] pw = keyPassword == null ? new char[0] : keyPassword.toCharArray();
        try {
            String alias = bundle.getKey().getAlias();
            List<String> aliases = alias != null ? List.of(alias) : Collections.list(keyStore.aliases());
            if (alias == null) {
                List<String> keys = new ArrayList<>();
                for (String a : aliases) {
                    if (keyStore.isKeyEntry(a)) {
                        keys.add(a);
                    }
                }
                if (keys.size() > 1) {
                    throw new ApnsConfigurationException(
                            "SSL bundle '" + name + "' (aapns.certificate.ssl-bundle) holds " + keys.size()
                                    + " private keys " + keys + " and names none of them.",
                            "Set spring.ssl.bundle.jks." + name + ".key.alias to the alias of the APNs client"
                                    + " certificate (for a PEM bundle, spring.ssl.bundle.pem." + name
                                    + ".keystore.* holds one key), or keep only that key in the store.",
                            null);
                }
            }
            for (String a : aliases) {
                if (!keyStore.isKeyEntry(a)) {
                    continue;
                }
                Key key = keyStore.getKey(a, pw);
                Certificate[] chain = keyStore.getCertificateChain(a);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    X509Certificate[] x509 = new X509Certificate[chain.length];
                    for (int i = 0; i < chain.length; i++) {
                        if (!(chain[i] instanceof X509Certificate c)) {
                            throw new ApnsConfigurationException(
                                    "SSL bundle '" + name + "' (aapns.certificate.ssl-bundle) holds a "
                                            + chain[i].getType() + " certificate, not X.509.",
                                    action,
                                    null);
                        }
                        x509[i] = c;
                    }
                    try {
                        return ClientCertificate.of(privateKey, x509);
                    } catch (IllegalArgumentException e) {
                        throw new ApnsConfigurationException(
                                "SSL bundle '" + name + "' (aapns.certificate.ssl-bundle): " + e.getMessage() + ".",
                                "Give the bundle the APNs client certificate together with the private key created"
                                        + " with it (spring.ssl.bundle.pem." + name + ".keystore.certificate and"
                                        + " .private-key, or one entry of spring.ssl.bundle.jks." + name
                                        + ".keystore.*).",
                                e);
                    }
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new ApnsConfigurationException(
                    "The private key in SSL bundle '" + name
                            + "' (aapns.certificate.ssl-bundle) cannot be read with the bundle's key password.",
                    "Set spring.ssl.bundle.jks." + name + ".key.password (or .keystore.password) to the key's"
                            + " password.",
                    e);
        } catch (GeneralSecurityException e) {
            throw new ApnsConfigurationException(
                    "The key store of SSL bundle '" + name + "' (aapns.certificate.ssl-bundle) cannot be read: "
                            + e.getMessage(),
                    action,
                    e);
        }
        throw new ApnsConfigurationException(
                "SSL bundle '" + name + "' (aapns.certificate.ssl-bundle) holds no private"
                        + " key with a certificate"
                        + (bundle.getKey().getAlias() != null
                                ? " under alias '" + bundle.getKey().getAlias() + "'"
                                : "")
                        + ".",
                action,
                null);
    }

    private static List<X509Certificate> trustStoreCertificates(KeyStore trustStore) {
        if (trustStore == null) {
            return null;
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(trustStore.aliases())) {
                if (trustStore.getCertificate(alias) instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the SSL bundle's trust store", e);
        }
    }

    private List<X509Certificate> trustCertificates(String location) {
        Resource resource = existing("aapns.trust-certificates", location);
        try (InputStream in = resource.getInputStream()) {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new GeneralSecurityException("no certificate found");
            }
            return out;
        } catch (IOException e) {
            throw unreadable("aapns.trust-certificates", location, e);
        } catch (GeneralSecurityException e) {
            throw new ApnsConfigurationException(
                    "aapns.trust-certificates '" + location + "' is not a PEM file of certificates: " + e.getMessage(),
                    "Point aapns.trust-certificates at a PEM file of CA certificates (-----BEGIN CERTIFICATE-----), or"
                            + " remove it to trust the JDK's CAs (right for Apple's servers).",
                    e);
        }
    }

    private Resource existing(String property, String location) {
        Resource resource = resourceLoader.getResource(location);
        if (!resource.exists()) {
            String where = describe(resource);
            throw new ApnsConfigurationException(
                    property + " is '" + location + "', but there is no such file"
                            + (where != null ? " (looked for " + where + ")" : "") + ".",
                    "Correct " + property + ": use file:/absolute/path or a path relative to the working directory ("
                            + Path.of("").toAbsolutePath() + "), or classpath:name for a file inside the"
                            + " application.",
                    null);
        }
        return resource;
    }

    private static String describe(Resource resource) {
        try {
            return resource.getFile().getAbsolutePath();
        } catch (IOException e) {
            return resource.getDescription();
        }
    }

    private static ApnsConfigurationException unreadable(String property, String location, IOException e) {
        return new ApnsConfigurationException(
                property + " '" + location + "' cannot be read: " + e.getMessage(),
                "Make " + property + " readable by the application's user, or point it at a readable copy.",
                e);
    }

    private static ApnsConfigurationException wrongPassword(
            String property, String location, String what, Exception e) {
        return new ApnsConfigurationException(
                "aapns.certificate.password does not open " + what + " in " + property + " '" + location
                        + "' (wrong or missing password).",
                "Set aapns.certificate.password to the password chosen when the certificate was exported (Keychain"
                        + " Access asks for it on export), for example from an environment variable:"
                        + " AAPNS_CERTIFICATE_PASSWORD.",
                e);
    }

    static <T> T checked(String property, java.util.function.Supplier<T> maker, String action) {
        try {
            return maker.get();
        } catch (IllegalArgumentException e) {
            throw new ApnsConfigurationException(property + " is invalid: " + e.getMessage(), action, e);
        }
    }

    static void check(String property, Runnable setter, String action) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new ApnsConfigurationException(property + " is invalid: " + e.getMessage(), action, e);
        }
    }
}
