package io.aapns.spring.boot.autoconfigure;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the auto-configured {@link io.aapns.api.ApnsClient}, under {@code aapns.*}. Give one kind of
 * credentials: {@code aapns.token.*} (a .p8 signing key) or {@code aapns.certificate.*} (a client certificate, from a
 * file or an SSL bundle).
 *
 * @param enabled Whether to auto-configure an ApnsClient bean.
 * @param environment APNs environment to send to: production (api.push.apple.com) or development
 *     (api.sandbox.push.apple.com). Ignored when aapns.url is set.
 * @param url Other APNs origin, https://host[:port], for example a mock server. Overrides aapns.environment.
 * @param altPort Whether to use Apple's alternative port 2197 instead of 443, for firewalls that block 443 to Apple.
 * @param topic Default apns-topic: the app's bundle id. Push type suffixes are added per notification.
 * @param certificate Certificate authentication.
 * @param token Token authentication.
 * @param trustCertificates Location of a PEM file of CA certificates to trust instead of the JDK's, for example a mock
 *     server's CA. A plain path is a file relative to the working directory; classpath: and file: work too.
 * @param pool Pool of HTTP/2 connections.
 * @param connectTimeout Time to wait for a TCP connection to open.
 * @param requestTimeout Time a notification may take, retries included, before it fails.
 * @param pingInterval Interval between PINGs on an idle connection, to keep it open and detect a dead one.
 * @param shutdownTimeout Time notifications in flight may take to finish when the client bean is destroyed.
 * @param retry Back-off for answers that may be retried (429, 500, 503) and connections that could not be opened.
 * @param pingTimeout Time to wait for the acknowledgement of a PING before the connection is considered dead, closed
 *     and replaced.
 * @param initializationFailTimeout Maximum time to wait during start-up for a first connection to APNs; start-up fails
 *     when none opens in time. When not set, the application starts without waiting and the client keeps reconnecting
 *     in the background, with the 'aapns' health component DOWN until a connection opens.
 * @param proxy HTTP or SOCKS5 proxy that connections to APNs go through.
 * @param broadcast Broadcast channel management: an ApnsChannels bean with the client's credentials.
 * @param frameLogging Whether to log every HTTP/2 frame at DEBUG on the io.aapns.frames logger, with the authorization
 *     header redacted. For debugging: slow and verbose.
 */
@ConfigurationProperties("aapns")
public record ApnsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("production") Environment environment,
        URI url,
        @DefaultValue("false") boolean altPort,
        String topic,
        @DefaultValue Certificate certificate,
        @DefaultValue Token token,
        String trustCertificates,
        @DefaultValue Pool pool,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("60s") Duration pingInterval,
        @DefaultValue("30s") Duration shutdownTimeout,
        @DefaultValue Retry retry,
        @DefaultValue("5s") Duration pingTimeout,
        Duration initializationFailTimeout,
        @DefaultValue Proxy proxy,
        @DefaultValue Broadcast broadcast,
        @DefaultValue("false") boolean frameLogging) {

    /** Binds the properties; the canonical constructor. */
    @ConstructorBinding
    public ApnsProperties {}

    /** The properties as they were before {@code proxy} and {@code broadcast}: direct connections, no ApnsChannels. */
    public ApnsProperties(
            boolean enabled,
            Environment environment,
            URI url,
            boolean altPort,
            String topic,
            Certificate certificate,
            Token token,
            String trustCertificates,
            Pool pool,
            Duration connectTimeout,
            Duration requestTimeout,
            Duration pingInterval,
            Duration shutdownTimeout,
            Retry retry,
            Duration pingTimeout,
            Duration initializationFailTimeout) {
        this(
                enabled,
                environment,
                url,
                altPort,
                topic,
                certificate,
                token,
                trustCertificates,
                pool,
                connectTimeout,
                requestTimeout,
                pingInterval,
                shutdownTimeout,
                retry,
                pingTimeout,
                initializationFailTimeout,
                Proxy.NONE,
                Broadcast.DISABLED,
                false);
    }

    /**
     * The properties as they were before {@code ping-timeout} and {@code initialization-fail-timeout}: a PING timeout
     * of 5 seconds, and start-up that does not wait for APNs.
     */
    public ApnsProperties(
            boolean enabled,
            Environment environment,
            URI url,
            boolean altPort,
            String topic,
            Certificate certificate,
            Token token,
            String trustCertificates,
            Pool pool,
            Duration connectTimeout,
            Duration requestTimeout,
            Duration pingInterval,
            Duration shutdownTimeout,
            Retry retry) {
        this(
                enabled,
                environment,
                url,
                altPort,
                topic,
                certificate,
                token,
                trustCertificates,
                pool,
                connectTimeout,
                requestTimeout,
                pingInterval,
                shutdownTimeout,
                retry,
                Duration.ofSeconds(5),
                null);
    }

    /** Apple's two APNs environments. */
    public enum Environment {
        /** api.push.apple.com: apps from the App Store, TestFlight and ad hoc builds. */
        PRODUCTION,
        /** api.sandbox.push.apple.com: apps built with a development provisioning profile. */
        DEVELOPMENT
    }

    /**
     * Certificate authentication: an SSL bundle, or a file (PKCS#12, or PEM when key-path is set).
     *
     * @param sslBundle Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) whose key store holds the APNs client
     *     certificate and its key. Its trust store, if any, is trusted too.
     * @param path Location of the client certificate: a PKCS#12 file (.p12) holding certificate and key, or, with
     *     key-path, a PEM certificate chain.
     * @param keyPath Location of the PEM PKCS#8 private key, when path is a PEM certificate.
     * @param password Password of the PKCS#12 file, or of the encrypted PEM private key.
     */
    public record Certificate(String sslBundle, String path, String keyPath, String password) {

        /** True if any certificate property is set. */
        public boolean configured() {
            return hasText(sslBundle) || hasText(path) || hasText(keyPath);
        }
    }

    /**
     * Token authentication with a .p8 signing key from Apple Developer.
     *
     * @param keyPath Location of the AuthKey_<key id>.p8 file.
     * @param keyId Key's 10-character id (Apple Developer, Keys).
     * @param teamId Team's 10-character id (Apple Developer, Membership).
     */
    public record Token(String keyPath, String keyId, String teamId) {

        /** True if any token property is set. */
        public boolean configured() {
            return hasText(keyPath) || hasText(keyId) || hasText(teamId);
        }
    }

    /**
     * The pool of HTTP/2 connections to APNs.
     *
     * @param size Number of connections kept open.
     * @param maxPending Maximum number of notifications that may wait for a free stream before sending fails fast.
     * @param attemptTimeout Time to wait for the answer to one attempt before the notification is sent again on another
     *     connection, as a possible duplicate that counts against max-unsafe-retries.
     * @param maxUnsafeRetries Maximum number of times a notification is sent again when it may already have been
     *     delivered (connection lost after it was sent, or no answer within attempt-timeout). 0 never risks a
     *     duplicate.
     */
    public record Pool(
            @DefaultValue("2") int size,
            @DefaultValue("10000") int maxPending,
            @DefaultValue("3s") Duration attemptTimeout,
            @DefaultValue("1") int maxUnsafeRetries) {

        /** Binds the properties; the canonical constructor. */
        @ConstructorBinding
        public Pool {}

        /** The pool as it was before attempt-timeout and max-unsafe-retries: 3 seconds and 1. */
        public Pool(int size, int maxPending) {
            this(size, maxPending, Duration.ofSeconds(3), 1);
        }
    }

    /**
     * Broadcast push: an {@code ApnsChannels} bean for channel management, with the client's credentials, trust and
     * timeouts. Broadcasts themselves go through the ApnsClient.
     *
     * @param enabled Whether to create the ApnsChannels bean.
     * @param managementUrl Other channel management origin, https://host[:port], for example a mock server's. By
     *     default Apple's management host of aapns.environment (api-manage-broadcast.push.apple.com:2196, or
     *     api-manage-broadcast.sandbox.push.apple.com:2195 for development).
     * @param poolSize Number of connections to the management host: 1 or 2.
     */
    public record Broadcast(
            @DefaultValue("false") boolean enabled,
            URI managementUrl,
            @DefaultValue("1") int poolSize) {

        /** No ApnsChannels bean. */
        public static final Broadcast DISABLED = new Broadcast(false, null, 1);
    }

    /**
     * Exponential back-off with jitter between retries.
     *
     * @param initialBackoff First back-off.
     * @param maxBackoff Longest back-off.
     */
    public record Retry(
            @DefaultValue("100ms") Duration initialBackoff,
            @DefaultValue("5s") Duration maxBackoff) {}

    /**
     * A proxy that every connection to APNs goes through, each in its own tunnel. The proxy resolves APNs' host name.
     *
     * @param type Proxy protocol: http (a tunnel opened with CONNECT, credentials as basic authentication) or socks5
     *     (credentials as SOCKS5 user name and password).
     * @param host Host name or address of the proxy. Setting it sends every connection through the proxy.
     * @param port Port of the proxy, such as 3128 or 8080 for an HTTP proxy, 1080 for SOCKS5.
     * @param username User name to authenticate to the proxy with, if it requires one.
     * @param password Password that goes with the user name.
     * @param useSystemProperties Whether to take the proxy from the JVM's standard proxy system properties
     *     (https.proxyHost and https.proxyPort, else socksProxyHost and socksProxyPort, honouring http.nonProxyHosts)
     *     when aapns.proxy.host is not set.
     */
    public record Proxy(
            @DefaultValue("http") Type type,
            String host,
            Integer port,
            String username,
            String password,
            @DefaultValue("false") boolean useSystemProperties) {

        /** No proxy: direct connections. */
        static final Proxy NONE = new Proxy(Type.HTTP, null, null, null, null, false);

        /** True if any of host, port, username or password is set. */
        public boolean configured() {
            return hasText(host) || port != null || hasText(username) || password != null;
        }

        /** The proxy protocols. */
        public enum Type {
            /** An HTTP proxy that opens a tunnel with CONNECT host:port. */
            HTTP,
            /** A SOCKS5 proxy. */
            SOCKS5
        }
    }

    static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
