package io.aapns.api;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.connection.ApnsResources;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ProxyOptions;
import io.aapns.connection.Request;
import io.aapns.connection.TokenAuthorization;
import io.aapns.errors.ApnsException;
import io.aapns.internal.ApnsHeaders;
import io.aapns.internal.ClientTls;
import io.aapns.internal.HeaderValues;
import io.aapns.internal.JwtSigner;
import io.aapns.internal.ProviderTokenHolder;
import io.aapns.internal.Validation;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import io.aapns.pool.ConnectionSnapshot;
import io.aapns.pool.Pool;
import io.aapns.pool.PoolOptions;
import io.aapns.pool.PoolStats;
import io.aapns.pool.RetryPolicy;
import io.aapns.spi.ApnsListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.AsciiString;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends push notifications to APNs: the class most applications use (a port of aapns' high-level client). Build one per
 * credential and keep it for the application's life:
 *
 * <pre>{@code
 * ApnsClient client = ApnsClient.builder()
 *     .server(ApnsServer.production())
 *     .signingKey(SigningKey.fromP8(path, keyId, teamId))   // or .clientCertificate(...)
 *     .topic("com.example.app")
 *     .build();
 * PushResult result = client.send(deviceToken, Notification.builder().alert("Hi").build()).join();
 * }</pre>
 *
 * <p>{@code send} validates its input at once (a device token that is not hex or longer than 200 digits, a payload over
 * the push type's limit, a collapse id over 64 bytes, a header value that is not visible ASCII, no topic or one over
 * 255 characters: {@link IllegalArgumentException}) and returns a future that completes with a {@link PushResult},
 * accepted or rejected by APNs. The future fails only when no answer could be had: the deadline passed
 * ({@link io.aapns.errors.RequestTimeoutException}) or the client was closed ({@link io.aapns.errors.ClosedException}).
 * Underneath, a {@link Pool} of connections retries what may be retried (see its documentation for the exact delivery
 * semantics).
 *
 * <p>Token authentication uses one JWT per connection, minted at its first request and renewed after
 * {@link Builder#tokenLifetime} (50 minutes by default); an ExpiredProviderToken answer gets a new token and one
 * re-send. Thread-safe.
 */
public final class ApnsClient implements AutoCloseable {

    private static final String BROADCAST_PATH = "/4/broadcasts/apps/";
    private static final AsciiString LIVEACTIVITY = AsciiString.cached(PushType.LIVEACTIVITY.headerValue());
    private static final AsciiString[] PUSH_TYPE_VALUES = Arrays.stream(PushType.values())
            .map(t -> AsciiString.cached(t.headerValue()))
            .toArray(AsciiString[]::new);

    private static final Logger log = LoggerFactory.getLogger(ApnsClient.class);

    private final ApnsServer server;
    private final String topic;
    /** The certificate connections open with: replaced by {@link #replaceCertificate} once every one has moved. */
    private volatile ClientCertificate certificate;

    private final SigningKey signingKey;
    private final ClientTls tls;
    private final Pool pool;
    private final SendObserver observer;
    /** {@code /4/broadcasts/apps/<the client's topic>}, made at the first broadcast. */
    private volatile AsciiString defaultBroadcastPath;
    /** The client's topic with each push type's suffix, filled in as push types are used. */
    private final AsciiString[] defaultTopics = new AsciiString[PushType.values().length];

    private ApnsClient(Builder b, ClientTls tls, Pool pool) {
        this.server = b.server;
        this.tls = tls;
        this.topic = b.topic;
        this.certificate = b.certificate;
        this.signingKey = b.signingKey;
        this.pool = pool;
        this.observer = b.observer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sends {@code notification} to {@code deviceToken} with the client's defaults. */
    public CompletableFuture<PushResult> send(String deviceToken, Notification notification) {
        return send(deviceToken, notification, SendOptions.defaults());
    }

    /**
     * Sends {@code notification} to {@code deviceToken}.
     *
     * @throws IllegalArgumentException if the token, the payload size, the topic or an option is invalid; the message
     *     says what to fix
     */
    public CompletableFuture<PushResult> send(String deviceToken, Notification notification, SendOptions options) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(options, "options");
        AsciiString path = WireValues.devicePath(deviceToken);
        PushType pushType = options.pushType != null
                ? options.pushType
                : PushType.inferFrom(notification).orElse(PushType.ALERT);
        Validation.checkNotification(notification, pushType, options.priority);
        if (pushType.requiresTokenAuthentication() && signingKey == null) {
            throw new IllegalArgumentException("push type " + pushType.headerValue() + " needs token authentication,"
                    + " and this client uses a TLS client certificate: build a client with"
                    + " signingKey(SigningKey.fromP8(...)) for " + pushType.headerValue() + " pushes");
        }
        AsciiString fullTopic = topicFor(options.topic, pushType);
        AsciiString apnsId =
                options.apnsId != null ? new AsciiString(options.apnsId.toString()) : WireValues.newApnsId();

        Request.Builder request = Request.builder(path)
                .header(ApnsHeaders.APNS_TOPIC, fullTopic)
                .header(ApnsHeaders.APNS_PUSH_TYPE, PUSH_TYPE_VALUES[pushType.ordinal()])
                .header(ApnsHeaders.APNS_ID, apnsId);
        if (options.priority != null) {
            request.header(ApnsHeaders.APNS_PRIORITY, options.priority.headerValue());
        }
        if (options.expiration != null) {
            request.header(ApnsHeaders.APNS_EXPIRATION, Long.toString(options.expiration.getEpochSecond()));
        }
        if (options.collapseId != null) {
            request.header(ApnsHeaders.APNS_COLLAPSE_ID, options.collapseId);
        }
        if (options.timeout != null) {
            request.timeout(options.timeout);
        }
        // The payload goes once into a pooled buffer that every attempt (each connection takes
        // its own reference) writes from; ours is released when the pool reports the outcome.
        ByteBuf payload = ByteBufAllocator.DEFAULT.ioBuffer(notification.payloadSize());
        SendOutcome outcome =
                new SendOutcome(payload, path, apnsId, observe("send", apnsId, pushType, fullTopic), false);
        try {
            notification.writePayloadTo(payload);
            pool.post(request.payload(payload).build(), outcome);
        } catch (RuntimeException | Error e) {
            outcome.abandon();
            throw e;
        }
        return outcome;
    }

    /** The observation of one send, or null: none without an observer, so unobserved sends pay nothing. */
    private SendObserver.ObservedSend observe(
            String operation, AsciiString apnsId, PushType pushType, AsciiString fullTopic) {
        if (observer == SendObserver.NONE) {
            return null;
        }
        try {
            return observer.started(
                    new SendObserver.Started(operation, apnsId.toString(), pushType, fullTopic.toString()));
        } catch (RuntimeException e) {
            log.warn("SendObserver.started threw; the notification goes on unobserved", e);
            return null;
        }
    }

    /**
     * Broadcasts {@code notification}, a Live Activity update or end, to every device subscribed to the channel
     * {@code channelId}: {@code POST /4/broadcasts/apps/<bundle id>} with {@code apns-channel-id}, push type
     * {@code liveactivity}, the expiration and priority APNs requires (0 and 10 unless {@code options} say otherwise)
     * and an {@code apns-request-id}, over the same pool, with the same delivery rules, as {@link #send}. The bundle id
     * is the client's topic, or {@link BroadcastOptions.Builder#bundleId}. A rejection (ChannelNotRegistered,
     * BadExpirationDate, FeatureNotEnabled, ...) is a value, as for {@code send}.
     *
     * <p>Create channels with {@code io.aapns.channels.ApnsChannels}; devices subscribe when the app starts a Live
     * Activity with the channel (or by a push-to-start with {@code LiveActivity.Builder.inputPushChannel}). A broadcast
     * cannot start an activity.
     *
     * @throws IllegalArgumentException if the channel id is not base64, the notification is not a Live Activity update
     *     or end, the payload is over 5120 bytes, or there is no bundle id; the message says what to fix
     */
    public CompletableFuture<PushResult> broadcast(
            String channelId, Notification notification, BroadcastOptions options) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(options, "options");
        Validation.checkChannelId(channelId);
        Validation.checkBroadcast(notification);
        AsciiString path = broadcastPath(options.bundleId);
        AsciiString requestId = options.apnsRequestId != null
                ? new AsciiString(options.apnsRequestId.toString())
                : WireValues.newApnsId();
        Request.Builder request = Request.builder(path)
                .header(ApnsHeaders.APNS_CHANNEL_ID, channelId)
                .header(ApnsHeaders.APNS_PUSH_TYPE, LIVEACTIVITY)
                .header(ApnsHeaders.APNS_EXPIRATION, Long.toString(options.expiration.getEpochSecond()))
                .header(ApnsHeaders.APNS_PRIORITY, options.priority.headerValue())
                .header(ApnsHeaders.APNS_REQUEST_ID, requestId);
        if (options.timeout != null) {
            request.timeout(options.timeout);
        }
        ByteBuf payload = ByteBufAllocator.DEFAULT.ioBuffer(notification.payloadSize());
        SendOutcome outcome = new SendOutcome(
                payload, path, requestId, observe("broadcast", requestId, PushType.LIVEACTIVITY, path), true);
        try {
            notification.writePayloadTo(payload);
            pool.post(request.payload(payload).build(), outcome);
        } catch (RuntimeException | Error e) {
            outcome.abandon();
            throw e;
        }
        return outcome;
    }

    private AsciiString broadcastPath(String bundleId) {
        if (bundleId != null) {
            return new AsciiString(BROADCAST_PATH + bundleId);
        }
        AsciiString path = defaultBroadcastPath;
        if (path == null) {
            if (topic == null) {
                throw new IllegalArgumentException("no bundle id: set the app's bundle id with"
                        + " ApnsClient.Builder.topic(...) or BroadcastOptions.Builder.bundleId(...)");
            }
            path = new AsciiString(BROADCAST_PATH + HeaderValues.checkBundleId(topic));
            defaultBroadcastPath = path; // a benign race: AsciiStrings are immutable
        }
        return path;
    }

    /** The topic for {@code pushType}: the send's own, or the client's (with the suffix, as bytes, made once). */
    private AsciiString topicFor(String sendTopic, PushType pushType) {
        if (sendTopic != null) {
            return new AsciiString(Validation.checkTopic(pushType.topicFor(sendTopic)));
        }
        if (topic == null) {
            throw new IllegalArgumentException("no topic: set the app's bundle id with ApnsClient.Builder.topic(...)"
                    + " or SendOptions.Builder.topic(...)");
        }
        AsciiString full = defaultTopics[pushType.ordinal()];
        if (full == null) {
            full = new AsciiString(Validation.checkTopic(pushType.topicFor(topic)));
            defaultTopics[pushType.ordinal()] = full; // a benign race: AsciiStrings are immutable
        }
        return full;
    }

    /**
     * Completes with this client when its first connection is ready, or fails with the reason the client closed before
     * that (certificate rejected, ...). Sending need not wait for it: notifications sent earlier wait for a connection
     * until their deadline.
     */
    public CompletableFuture<ApnsClient> ready() {
        return pool.ready().thenApply(p -> this);
    }

    /** Closes at once: notifications not yet answered fail with {@link io.aapns.errors.ClosedException}. */
    @Override
    public void close() {
        pool.close();
    }

    /** Takes no new notifications, lets those in flight finish within {@code timeout}, then closes. */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        return pool.closeGracefully(timeout);
    }

    /**
     * Moves the client onto a new TLS client certificate without losing a notification: a connection with {@code next}
     * opens first (if it cannot, nothing changes and the future fails with why), then each old connection in turn is
     * replaced and drains as after a GOAWAY. Completes when every connection has moved; {@link #clientCertificate()} is
     * {@code next} from then on.
     *
     * @throws IllegalStateException if the client uses token authentication
     */
    public CompletableFuture<Void> replaceCertificate(ClientCertificate next) {
        Objects.requireNonNull(next, "next");
        if (certificate == null) {
            throw new IllegalStateException(
                    "this client uses token authentication (a signing key): only a client"
                            + " built with clientCertificate(...) can replace its certificate; for a new key, build a new client");
        }
        return pool.replaceSslContext(tls.context(next)).thenRun(() -> certificate = next);
    }

    /** One snapshot per connection: state, streams in flight, the server's limit, last error. */
    public List<ConnectionSnapshot> connections() {
        return pool.connections();
    }

    /** Counters of the underlying pool. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** True until the client is closed. */
    public boolean isOpen() {
        return pool.isOpen();
    }

    /** Why the client closed itself (credentials refused, ...), if it did. */
    public Optional<ApnsException> closeCause() {
        return pool.closeCause();
    }

    public ApnsServer server() {
        return server;
    }

    /** The default topic, if one was configured. */
    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    /** The TLS client certificate, for certificate authentication (after {@link #replaceCertificate}, the new one). */
    public Optional<ClientCertificate> clientCertificate() {
        return Optional.ofNullable(certificate);
    }

    /** The signing key, for token authentication. */
    public Optional<SigningKey> signingKey() {
        return Optional.ofNullable(signingKey);
    }

    @Override
    public String toString() {
        return "ApnsClient{" + server + (topic != null ? ", topic=" + topic : "")
                + (certificate != null ? ", certificate " + certificate.subject() : ", token " + signingKey) + "}";
    }

    /**
     * Builds an {@link ApnsClient}. Not thread-safe. Connection and pool settings are checked by
     * {@link ConnectionOptions.Builder} and {@link PoolOptions.Builder}, which this fills.
     */
    public static final class Builder {
        private final ConnectionOptions.Builder connection = ConnectionOptions.builder();
        private final PoolOptions.Builder pool = PoolOptions.builder();
        private ApnsServer server;
        private ClientCertificate certificate;
        private ApnsResources resources;
        private boolean ownGroup;
        private SigningKey signingKey;
        private SendObserver observer = SendObserver.NONE;
        private List<X509Certificate> trusted;
        private Path trustedFile;
        private String topic;
        private Duration tokenLifetime = ProviderTokenHolder.DEFAULT_LIFETIME;
        private Clock clock = Clock.systemUTC();

        private Builder() {
            requestTimeout(Duration.ofSeconds(10));
        }

        /** Where to send: {@link ApnsServer#production()}, {@link ApnsServer#development()}, ... (required). */
        public Builder server(ApnsServer server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /** Certificate authentication with this TLS client certificate. */
        public Builder clientCertificate(ClientCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Token authentication with this .p8 signing key. */
        public Builder signingKey(SigningKey signingKey) {
            this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
            return this;
        }

        /** Trust these CA certificates (PEM file) instead of the system's, e.g. for a mock server. */
        public Builder trustedCertificates(Path pemFile) {
            this.trustedFile = Objects.requireNonNull(pemFile, "pemFile");
            this.trusted = null;
            return this;
        }

        /** Trust these CA certificates instead of the system's, e.g. for a mock server. */
        public Builder trustedCertificates(List<X509Certificate> certificates) {
            this.trusted = List.copyOf(certificates);
            this.trustedFile = null;
            return this;
        }

        /** The default apns-topic: the app's bundle id; push type suffixes are added per notification. */
        public Builder topic(String topic) {
            this.topic = Validation.checkTopic(topic);
            return this;
        }

        /** Connections kept open (default 2). */
        public Builder poolSize(int size) {
            pool.size(size);
            return this;
        }

        /** How long a notification may take, retries included, unless its options say otherwise (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            pool.requestTimeout(timeout);
            connection.requestTimeout(timeout);
            return this;
        }

        /** TCP connect timeout (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            connection.connectTimeout(timeout);
            return this;
        }

        /** PING an idle connection this often to keep it open and detect a dead one (default 60 s). */
        public Builder pingInterval(Duration interval) {
            connection.pingInterval(interval);
            return this;
        }

        /**
         * How long one attempt waits for its answer before it is sent on another connection as a possible duplicate
         * (default 3 s; see {@link PoolOptions#attemptTimeout()}).
         */
        public Builder attemptTimeout(Duration timeout) {
            pool.attemptTimeout(timeout);
            return this;
        }

        /**
         * Re-sends per notification that may deliver a duplicate (default 1; see
         * {@link PoolOptions#maxUnsafeRetries()}).
         */
        public Builder maxUnsafeRetries(int retries) {
            pool.maxUnsafeRetries(retries);
            return this;
        }

        /** PING acknowledgement timeout: a connection without one is closed and replaced (default 5 s). */
        public Builder pingTimeout(Duration timeout) {
            connection.pingTimeout(timeout);
            return this;
        }

        /**
         * Logs every HTTP/2 frame at DEBUG on the {@code io.aapns.frames} logger, the {@code authorization} header
         * redacted (default false). For debugging.
         */
        public Builder frameLogging(boolean enabled) {
            connection.frameLogging(enabled);
            return this;
        }

        /**
         * How long {@link ApnsClient#ready()} waits for a first connection (default 30 s). The client keeps trying
         * after it, unless {@link #closeOnStartTimeout(boolean)} says otherwise.
         */
        public Builder startTimeout(Duration timeout) {
            pool.startTimeout(timeout);
            return this;
        }

        /**
         * Whether the client closes for good when no connection opened within the start timeout (default false: it
         * keeps reconnecting with back-off, so that an application that starts before the network is ready sends once
         * it is; see {@link PoolOptions#closeOnStartTimeout()}).
         */
        public Builder closeOnStartTimeout(boolean close) {
            pool.closeOnStartTimeout(close);
            return this;
        }

        /** Notifications that may wait for a free stream before send fails fast (default 10 000). */
        public Builder maxPending(int maxPending) {
            pool.maxPending(maxPending);
            return this;
        }

        /** What to re-send and how soon (default: 429, 500, 503 with exponential back-off). */
        public Builder retryPolicy(RetryPolicy policy) {
            pool.retryPolicy(policy);
            return this;
        }

        /** How long each connection keeps its provider token: 20 to 60 minutes (default 50). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = ProviderTokenHolder.checkLifetime(lifetime);
            return this;
        }

        /** The clock provider tokens are dated by (tests move it). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Observes each notification from {@code send} to its end, for tracing (default {@link SendObserver#NONE}). */
        public Builder sendObserver(SendObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Receives connection and request events, for metrics and logging. */
        public Builder listener(ApnsListener listener) {
            pool.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Connects through this HTTP ({@code CONNECT}) or SOCKS5 proxy, one tunnel per connection; null for direct
         * connections (the default). The proxy resolves APNs' host name. See
         * {@link ConnectionOptions.Builder#proxy(ProxyOptions)}.
         */
        public Builder proxy(ProxyOptions proxy) {
            connection.proxy(proxy);
            return this;
        }

        /**
         * Whether to take the proxy named by the JVM's proxy system properties ({@code https.proxyHost}, else
         * {@code socksProxyHost}) when no {@link #proxy(ProxyOptions)} is set (default false). See
         * {@link ConnectionOptions.Builder#useSystemProxy(boolean)}.
         */
        public Builder useSystemProxy(boolean use) {
            connection.useSystemProxy(use);
            return this;
        }

        /**
         * Runs on these shared event loops instead of loops of its own: give the same {@link ApnsResources} to every
         * client of an application. The loops stay up until the resources are closed and every client built with them
         * has closed. Not together with {@link #eventLoopGroup}, which lends a bare group the caller manages.
         */
        public Builder resources(ApnsResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** Share this event loop group (the caller shuts it down) instead of the client's own. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            connection.eventLoopGroup(Objects.requireNonNull(group, "group"));
            ownGroup = true;
            return this;
        }

        /**
         * Builds the client and starts opening its connections; it does not wait for them (see
         * {@link ApnsClient#ready()}).
         *
         * @throws IllegalStateException if the server or the credentials are missing, or both kinds of credentials are
         *     set
         */
        public ApnsClient build() {
            if (server == null) {
                throw new IllegalStateException("no server: call server(ApnsServer.production()) or "
                        + "server(ApnsServer.development()), or ApnsServer.of(uri) for another origin");
            }
            if (resources != null && ownGroup) {
                throw new IllegalStateException("both resources(...) and eventLoopGroup(...) are set: give shared"
                        + " ApnsResources, or an event loop group of your own, not both");
            }
            if (certificate == null && signingKey == null) {
                throw new IllegalStateException(
                        "no credentials: call clientCertificate(ClientCertificate.fromPkcs12(...))"
                                + " for certificate authentication or signingKey(SigningKey.fromP8(...)) for token"
                                + " authentication");
            }
            if (certificate != null && signingKey != null) {
                throw new IllegalStateException("both a client certificate and a signing key are set: choose one, "
                        + "certificate or token authentication");
            }
            ClientTls tls = new ClientTls(trusted, trustedFile);
            connection.sslContext(tls.context(certificate));
            if (signingKey != null) {
                JwtSigner signer = JwtSigner.of(signingKey);
                Duration lifetime = tokenLifetime;
                Clock tokenClock = clock;
                connection.authorization(
                        () -> new TokenAuthorization(ProviderTokenHolder.create(signer, lifetime, tokenClock)));
            } else {
                connection.authorization(null);
            }
            ApnsResources.Lease lease = resources == null ? null : resources.lease();
            if (lease != null) {
                connection.eventLoopGroup(lease.eventLoopGroup());
            }
            PoolOptions options = pool.connectionOptions(connection.build()).build();
            return new ApnsClient(this, tls, Pool.open(server.origin(), options, lease));
        }
    }
}
