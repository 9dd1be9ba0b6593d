package io.aapns.mock;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.net.URI;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An APNs emulator for tests: HTTP/2 over TLS (ALPN h2) on loopback, with Apple's validation rules, token and
 * certificate authentication, device token states, and faults on command.
 *
 * <pre>{@code
 * try (MockApnsServer apns = MockApnsServer.builder().build().start()) {
 *     URI origin = apns.uri();                       // https://127.0.0.1:<ephemeral port>
 *     X509Certificate trust = apns.caCertificate();  // trust this in the client
 *     apns.faults().delay(Duration.ofMillis(250));
 *     ... send requests ...
 *     assertThat(apns.requests()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>It generates its own CA and server certificate at start (valid for 127.0.0.1, ::1 and localhost), can require TLS
 * client certificates and issue them for a topic, and verifies ES256 provider tokens against the signing keys
 * registered with it. Everything it received is kept in arrival order for assertions. Thread-safe.
 *
 * <p>Broadcast push: the push port also serves {@code POST /4/broadcasts/apps/<bundle id>}, and a second port
 * ({@link #channelsUri()}, as Apple uses another host) serves the channel management API ({@code /1/apps/<bundle
 * id>/channels} and {@code /all-channels}), both with Apple's validation. {@link #broadcasts(String)} gives what was
 * broadcast to a channel; {@link #channels()} the channels that exist. The server's faults apply on both ports.
 */
public final class MockApnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MockApnsServer.class);

    private final Builder config;
    private final Faults faults = new Faults();
    private final ProviderTokens providerTokens = new ProviderTokens();
    private final DeviceTokens deviceTokens = new DeviceTokens();
    private final MockChannels channelStore;
    private final List<MockServerListener> listeners = new CopyOnWriteArrayList<>();
    private final MockConnections connections;
    private final RecordedRequests requests;

    private MockCertificates certificates;
    private volatile MockTransport transport;
    private volatile boolean closed;

    private MockApnsServer(Builder config) {
        this.config = config;
        this.channelStore = new MockChannels(config.maxChannels);
        this.requests = new RecordedRequests(config.recordRequests, listeners);
        this.connections = new MockConnections(config.maxConcurrentStreams, config.initialMaxConcurrentStreams);
    }

    /** A builder with defaults: 127.0.0.1, an ephemeral port, no client certificate required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a server with the defaults. */
    public static MockApnsServer startDefault() {
        return builder().build().start();
    }

    /**
     * Generates the certificates, binds the port and starts serving. Throws {@link IllegalStateException} if the port
     * cannot be bound.
     */
    public synchronized MockApnsServer start() {
        if (transport != null) {
            throw new IllegalStateException("the mock server is already started");
        }
        certificates =
                config.certificatesFrom != null ? config.certificatesFrom.certificates : MockCertificates.generate();
        transport = new MockTransport(
                this,
                faults,
                MockTls.serverContext(certificates, config.advertiseHttp2, config.requireClientCertificate),
                config.threads,
                config.host,
                config.port,
                config.channelPort);
        log.info("Mock APNs server listening on {}, CA certificate at {}", uri(), certificates.caFile());
        return this;
    }

    /** A client negotiated HTTP/2: its connection, with a {@link MockHttp2Handler} at the end of the pipeline. */
    void http2Negotiated(ChannelHandlerContext ctx) {
        X509Certificate clientCertificate =
                MockTls.clientCertificate(ctx.pipeline().get(SslHandler.class));
        String topic = MockTls.clientTopic(clientCertificate);
        boolean management = transport.isManagement(ctx.channel());
        MockConnection connection = connections.open(ctx.channel(), clientCertificate, topic, management);
        boolean tokenAuth = topic == null && providerTokens.enabled();
        MockHttp2Handler handler = MockHttp2Handler.create(
                this, connection, tokenAuth, connections.initialStreams(tokenAuth), config.initialWindowSize);
        connection.handler = handler;
        ctx.channel().closeFuture().addListener(f -> listeners.forEach(l -> l.connectionClosed(connection)));
        listeners.forEach(l -> l.connectionOpened(connection));
        ctx.pipeline().addLast(handler);
    }

    // ---------------------------------------------------------------- where it is, what to trust

    /** The port the server listens on (the ephemeral one when built with port 0). */
    public int port() {
        return requireStarted().port();
    }

    /** The origin to give a client: {@code https://127.0.0.1:<port>}. */
    public URI uri() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return URI.create("https://" + host + ":" + port());
    }

    /** The port of the channel management API. */
    public int channelPort() {
        return requireStarted().managementPort();
    }

    /**
     * The origin of the channel management API ({@code https://127.0.0.1:<another port>}): what Apple serves on
     * {@code api-manage-broadcast(.sandbox).push.apple.com}. Same certificates as {@link #uri()}.
     */
    public URI channelsUri() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return URI.create("https://" + host + ":" + channelPort());
    }

    /** The CA that signed the server's certificate and the client certificates: trust it. */
    public X509Certificate caCertificate() {
        requireStarted();
        return certificates.ca().getCertificate();
    }

    /** The CA certificate in PEM. */
    public String caCertificatePem() {
        requireStarted();
        return certificates.ca().getCertificatePEM();
    }

    /** A PEM file holding the CA certificate, in a temporary folder deleted when the JVM exits. */
    public Path caCertificateFile() {
        requireStarted();
        return certificates.caFile();
    }

    /** The server's own certificate. */
    public X509Certificate serverCertificate() {
        requireStarted();
        return certificates.server().getCertificate();
    }

    /** A JDK {@link SSLContext} that trusts this server, for clients such as {@code java.net.http.HttpClient}. */
    public SSLContext clientSslContext(MockClientCertificate clientCertificate) {
        requireStarted();
        return MockTls.clientContext(certificates, clientCertificate);
    }

    /** Issues a client certificate for {@code topic}, valid for a year, from this server's CA. */
    public MockClientCertificate issueClientCertificate(String topic) {
        return issueClientCertificate(topic, Duration.ofDays(365));
    }

    /** Issues a client certificate for {@code topic}, valid for {@code validity}. */
    public MockClientCertificate issueClientCertificate(String topic, Duration validity) {
        requireStarted();
        return certificates.issueClient(topic, validity);
    }

    // ---------------------------------------------------------------- what it knows

    /**
     * Registers a signing key for token authentication. From then on, a connection without a client certificate must
     * send a valid ES256 provider token, and starts with one concurrent stream until it has.
     */
    public MockApnsServer registerSigningKey(String teamId, String keyId, PublicKey publicKey) {
        providerTokens.register(teamId, keyId, publicKey);
        return this;
    }

    /** Makes APNs answer 410 Unregistered for {@code deviceToken}, with {@code since} as timestamp. */
    public MockApnsServer markUnregistered(String deviceToken, Instant since) {
        deviceTokens.markUnregistered(deviceToken, Objects.requireNonNull(since, "since"));
        return this;
    }

    /** Makes APNs answer 410 ExpiredToken for {@code deviceToken}. */
    public MockApnsServer markExpired(String deviceToken) {
        deviceTokens.markExpired(deviceToken);
        return this;
    }

    /**
     * Binds {@code deviceToken} to the app {@code bundleId}: a request for it to another topic (the push type's suffix
     * aside, e.g. {@code .voip}) gets 400 DeviceTokenNotForTopic.
     */
    public MockApnsServer bindToTopic(String deviceToken, String bundleId) {
        deviceTokens.bind(deviceToken, Objects.requireNonNull(bundleId, "bundleId"));
        return this;
    }

    /** Forgets what was said about {@code deviceToken}: it is accepted again. */
    public MockApnsServer forgetDeviceToken(String deviceToken) {
        deviceTokens.forget(deviceToken);
        return this;
    }

    /**
     * Creates a channel for {@code bundleId} as the management API would (counted against the limit), for tests that
     * broadcast without creating one first.
     *
     * @param storagePolicy 0 (No Message Stored) or 1 (Most Recent Message Stored)
     * @throws IllegalStateException if the app has {@link Builder#maxChannels} channels already
     */
    public MockChannel createChannel(String bundleId, int storagePolicy) {
        Objects.requireNonNull(bundleId, "bundleId");
        if (storagePolicy != 0 && storagePolicy != 1) {
            throw new IllegalArgumentException("storagePolicy is 0 or 1, got " + storagePolicy);
        }
        MockChannel channel = channelStore.create(bundleId, storagePolicy);
        if (channel == null) {
            throw new IllegalStateException(bundleId + " has reached the channel limit of " + config.maxChannels);
        }
        return channel;
    }

    /** Every channel that exists now, in order of creation per app. */
    public List<MockChannel> channels() {
        return channelStore.all();
    }

    /** The channels of {@code bundleId} that exist now, in order of creation. */
    public List<MockChannel> channels(String bundleId) {
        return channelStore.list(bundleId);
    }

    /** Changes the limit of channels per app (Apple's is 10 000 per environment) at run time. */
    public MockApnsServer maxChannels(int limit) {
        channelStore.limit(Builder.positive(limit, "maxChannels"));
        return this;
    }

    /**
     * The broadcasts to {@code channelId} that the server accepted (200), in arrival order: what its subscribers were
     * sent. Empty when requests are not recorded ({@link Builder#recordRequests}).
     */
    public List<RecordedRequest> broadcasts(String channelId) {
        return requests.broadcasts(channelId);
    }

    /**
     * Changes SETTINGS_MAX_CONCURRENT_STREAMS: new connections announce it, open ones are sent a SETTINGS frame now
     * (token connections without a valid token yet are sent 1 if they were held at another limit, and the full limit
     * once they have a valid token). It also ends the hold of {@link Builder#initialMaxConcurrentStreams}: raising a
     * limit of 0 to n reaches every live connection.
     */
    public MockApnsServer maxConcurrentStreams(int streams) {
        if (streams < 0) {
            throw new IllegalArgumentException("maxConcurrentStreams must not be negative, got " + streams);
        }
        connections.maxConcurrentStreams(streams);
        return this;
    }

    /** The faults that apply to every connection. */
    public Faults faults() {
        return faults;
    }

    /** Adds a listener; it runs on the server's event loop. */
    public MockApnsServer addListener(MockServerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    // ---------------------------------------------------------------- what happened

    /** Every complete request received since start or the last {@link #reset()}, in arrival order. */
    public List<RecordedRequest> requests() {
        return requests.all();
    }

    /** The requests answered 200, in arrival order. */
    public List<RecordedRequest> acceptedRequests() {
        return requests.accepted();
    }

    /** Every connection opened since start or the last {@link #reset()}, open or closed, in order. */
    public List<MockConnection> connections() {
        return connections.all();
    }

    /** The connections open now. */
    public List<MockConnection> openConnections() {
        return connections.openNow();
    }

    /**
     * Starts over for the next test: closes every open connection, then forgets recorded requests, connections (ids
     * start again from 1), faults, signing keys, device token states, channels and listeners, and restores the built
     * stream and channel limits. The certificates and the ports stay.
     */
    public void reset() {
        closeConnections();
        faults.clear();
        listeners.clear();
        providerTokens.clear();
        deviceTokens.clear();
        channelStore.clear();
        channelStore.limit(config.maxChannels);
        requests.clear();
        connections.reset();
    }

    /** Closes every open connection (and stalled handshake) abruptly, and waits until they are closed. */
    public void closeConnections() {
        MockTransport t = transport;
        if (t != null) {
            t.closeConnections();
        }
    }

    /** Stops the server and closes every connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (transport != null) {
            transport.close();
        }
    }

    // ---------------------------------------------------------------- for the handler

    Clock clock() {
        return config.clock;
    }

    boolean isDevelopment() {
        return config.development;
    }

    boolean validatesJson() {
        return config.validateJson;
    }

    Duration gracefulShutdownTimeout() {
        return config.gracefulShutdownTimeout;
    }

    int maxConcurrentStreams() {
        return connections.maxConcurrentStreams();
    }

    /** True while new connections are held at the Builder's initialMaxConcurrentStreams. */
    boolean holdsInitialStreamLimit() {
        return connections.holdsInitialStreamLimit();
    }

    MockChannels channelStore() {
        return channelStore;
    }

    ProviderTokens providerTokens() {
        return providerTokens;
    }

    DeviceTokens deviceTokens() {
        return deviceTokens;
    }

    /** Where connections record what they received. */
    RecordedRequests recorded() {
        return requests;
    }

    private MockTransport requireStarted() {
        MockTransport t = transport;
        if (t == null) {
            throw new IllegalStateException("the mock server is not started: call start()");
        }
        return t;
    }

    @Override
    public String toString() {
        return "MockApnsServer[" + (transport == null ? "not started" : uri()) + "]";
    }

    /** Settings fixed when the server starts. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int channelPort;
        private int maxChannels = 10_000;
        private boolean development;
        private boolean requireClientCertificate;
        private int maxConcurrentStreams = 1000;
        private Long initialMaxConcurrentStreams;
        private int initialWindowSize = 65535;
        private Clock clock = Clock.systemUTC();
        private int threads = 1;
        private boolean validateJson = true;
        private boolean recordRequests = true;
        private boolean advertiseHttp2 = true;
        private Duration gracefulShutdownTimeout = Duration.ofSeconds(30);
        private MockApnsServer certificatesFrom;

        private Builder() {}

        /**
         * Serve with the CA and server certificate of {@code other} (started) instead of new ones, so that clients
         * which trust it trust this server too: a server "restarted" on the same port, in tests of reconnection.
         */
        public Builder certificatesFrom(MockApnsServer other) {
            Objects.requireNonNull(other, "other").requireStarted();
            this.certificatesFrom = other;
            return this;
        }

        /** The loopback address to bind: 127.0.0.1 (default) or ::1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to bind; 0 (default) picks a free ephemeral port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** The port of the channel management API; 0 (default) picks a free ephemeral port. */
        public Builder channelPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("channelPort must be 0 to 65535, got " + port);
            }
            this.channelPort = port;
            return this;
        }

        /**
         * How many channels one app may have (default 10 000, Apple's limit per environment); a create beyond it gets
         * 400 CannotCreateChannelConfig.
         */
        public Builder maxChannels(int limit) {
            this.maxChannels = positive(limit, "maxChannels");
            return this;
        }

        static int positive(int n, String name) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + n);
            }
            return n;
        }

        /** Behave as the development (sandbox) environment: successful answers carry apns-unique-id. */
        public Builder development(boolean development) {
            this.development = development;
            return this;
        }

        /** Refuse TLS handshakes without a client certificate issued by this server's CA. */
        public Builder requireClientCertificate(boolean require) {
            this.requireClientCertificate = require;
            return this;
        }

        /** SETTINGS_MAX_CONCURRENT_STREAMS once a connection is authenticated (default 1000, as APNs). */
        public Builder maxConcurrentStreams(int streams) {
            if (streams < 0) {
                throw new IllegalArgumentException("maxConcurrentStreams must not be negative, got " + streams);
            }
            this.maxConcurrentStreams = streams;
            return this;
        }

        /**
         * SETTINGS_MAX_CONCURRENT_STREAMS that every new connection announces, token or not, until
         * {@link MockApnsServer#maxConcurrentStreams(int)} is called at run time; that call sends the new limit to
         * every live connection and new connections announce it from then on. {@code initialMaxConcurrentStreams(0)}
         * opens connections on which no request can start, for tests of a client that must wait for the server to raise
         * the limit. Unset by default; {@link MockApnsServer#reset()} restores it.
         */
        public Builder initialMaxConcurrentStreams(long streams) {
            if (streams < 0 || streams > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException(
                        "initialMaxConcurrentStreams must be 0 to 4294967295, got " + streams);
            }
            this.initialMaxConcurrentStreams = streams;
            return this;
        }

        /**
         * SETTINGS_INITIAL_WINDOW_SIZE that connections announce (default 65535, HTTP/2's default). Below the default,
         * the server opens each stream's window to 65535 with a WINDOW_UPDATE when its HEADERS arrive, so requests
         * still complete, but a client cannot send a request's DATA before the server has seen its HEADERS.
         * {@code initialWindowSize(0)} with {@link Faults#resetBeforeEndStreamNext} resets a stream before any of its
         * DATA can have left the client.
         */
        public Builder initialWindowSize(int bytes) {
            if (bytes < 0 || bytes > 65535) {
                throw new IllegalArgumentException("initialWindowSize must be 0 to 65535, got " + bytes);
            }
            this.initialWindowSize = bytes;
            return this;
        }

        /** The clock for token ages and timestamps; a {@link MutableClock} lets tests skip minutes. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Event loop threads (default 1). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Check that payloads are JSON objects (default true); turn off to save CPU under load. */
        public Builder validateJson(boolean validate) {
            this.validateJson = validate;
            return this;
        }

        /** Keep every request for {@link #requests()} (default true); turn off for long load runs. */
        public Builder recordRequests(boolean record) {
            this.recordRequests = record;
            return this;
        }

        /** Offer h2 in ALPN (default true); false offers only http/1.1, which an APNs client must refuse. */
        public Builder advertiseHttp2(boolean advertise) {
            this.advertiseHttp2 = advertise;
            return this;
        }

        /** How long a connection that sent GOAWAY waits for its remaining streams (default 30 s). */
        public Builder gracefulShutdownTimeout(Duration timeout) {
            this.gracefulShutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** A server with these settings; call {@link MockApnsServer#start()} on it. */
        public MockApnsServer build() {
            return new MockApnsServer(this);
        }

        /** Builds and starts the server. */
        public MockApnsServer start() {
            return build().start();
        }
    }
}
