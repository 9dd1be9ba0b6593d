package io.aapns.api;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.JwtSigner;
import io.aapns.auth.ProviderTokenHolder;
import io.aapns.auth.SigningKey;
import io.aapns.auth.SslContexts;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import io.aapns.model.Validation;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends push notifications to APNs: the class most applications use (a port of aapns'
 * high-level client). Build one per credential and keep it for the application's life:
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
 * <p>{@code send} validates its input at once (a device token that is not hex, a payload over
 * the push type's limit, a collapse id over 64 bytes, no topic: {@link IllegalArgumentException})
 * and returns a future that completes with a {@link PushResult}, accepted or rejected by APNs.
 * The future fails only when no answer could be had: the deadline passed
 * ({@link io.aapns.errors.RequestTimeoutException}) or the client was closed
 * ({@link io.aapns.errors.ClosedException}). Underneath, a {@link Pool} of connections retries
 * what may be retried (see its documentation for the exact delivery semantics).
 *
 * <p>Token authentication uses one JWT per connection, minted at its first request and renewed
 * after {@link Builder#tokenLifetime} (50 minutes by default); an ExpiredProviderToken answer
 * gets a new token and one re-send. Thread-safe.
 */
public final class ApnsClient implements AutoCloseable {

    private static final AsciiString APNS_TOPIC = AsciiString.cached("apns-topic");
    private static final AsciiString APNS_PUSH_TYPE = AsciiString.cached("apns-push-type");
    private static final AsciiString APNS_ID = AsciiString.cached("apns-id");
    private static final AsciiString APNS_PRIORITY = AsciiString.cached("apns-priority");
    private static final AsciiString APNS_EXPIRATION = AsciiString.cached("apns-expiration");
    private static final AsciiString APNS_COLLAPSE_ID = AsciiString.cached("apns-collapse-id");
    private static final String DEVICE_PATH = "/3/device/";

    private final ApnsServer server;
    private final String topic;
    private final ClientCertificate certificate;
    private final SigningKey signingKey;
    private final Pool pool;

    private ApnsClient(Builder b, Pool pool) {
        this.server = b.server;
        this.topic = b.topic;
        this.certificate = b.certificate;
        this.signingKey = b.signingKey;
        this.pool = pool;
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
     * @throws IllegalArgumentException if the token, the payload size, the topic or an option is
     *                                  invalid; the message says what to fix
     */
    public CompletableFuture<PushResult> send(String deviceToken, Notification notification, SendOptions options) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(options, "options");
        String token = Validation.normalizeDeviceToken(deviceToken);
        PushType pushType = options.pushType().orElseGet(() -> PushType.inferFrom(notification).orElse(PushType.ALERT));
        Validation.checkPayloadSize(notification, pushType);
        String baseTopic = options.topic().orElse(topic);
        if (baseTopic == null) {
            throw new IllegalArgumentException("no topic: set the app's bundle id with ApnsClient.Builder.topic(...)"
                    + " or SendOptions.Builder.topic(...)");
        }
        String fullTopic = pushType.topicFor(baseTopic);
        options.priority().ifPresent(priority -> Validation.checkPriority(pushType, priority));
        String apnsId = options.apnsId().map(UUID::toString).orElseGet(() -> UUID.randomUUID().toString());

        Request.Builder request = Request.builder(DEVICE_PATH + token)
                .header(APNS_TOPIC, fullTopic)
                .header(APNS_PUSH_TYPE, pushType.headerValue())
                .header(APNS_ID, apnsId);
        options.priority().map(Priority::headerValue).ifPresent(p -> request.header(APNS_PRIORITY, p));
        options.expiration().ifPresent(e -> request.header(APNS_EXPIRATION, Long.toString(e.getEpochSecond())));
        options.collapseId().ifPresent(c -> request.header(APNS_COLLAPSE_ID, c));
        options.timeout().ifPresent(request::timeout);
        // The payload goes once into a pooled buffer that every attempt (each connection takes
        // its own reference) writes from; ours is released when the pool's future completes.
        ByteBuf payload = ByteBufAllocator.DEFAULT.ioBuffer(notification.payloadSize());
        CompletableFuture<Response> posted;
        try {
            notification.writePayloadTo(payload);
            posted = pool.post(request.payload(payload).build());
        } catch (RuntimeException | Error e) {
            payload.release();
            throw e;
        }
        return posted.handle((response, error) -> {
            payload.release();
            if (error != null) {
                throw error instanceof CompletionException ce ? ce : new CompletionException(error);
            }
            return PushResult.of(response, apnsId);
        });
    }

    /**
     * Completes with this client when its first connection is ready, or fails with the reason
     * the client closed before that (certificate rejected, ...). Sending need not wait for it:
     * notifications sent earlier wait for a connection until their deadline.
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

    /** The TLS client certificate, for certificate authentication. */
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
        private SigningKey signingKey;
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

        /** Receives connection and request events, for metrics and logging. */
        public Builder listener(ApnsListener listener) {
            connection.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Share this event loop group (the caller shuts it down) instead of the client's own. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            connection.eventLoopGroup(Objects.requireNonNull(group, "group"));
            return this;
        }

        /**
         * Builds the client and starts opening its connections; it does not wait for them
         * (see {@link ApnsClient#ready()}).
         *
         * @throws IllegalStateException if the server or the credentials are missing, or both kinds
         *                               of credentials are set
         */
        public ApnsClient build() {
            if (server == null) {
                throw new IllegalStateException("no server: call server(ApnsServer.production()) or "
                        + "server(ApnsServer.development()), or ApnsServer.of(uri) for another origin");
            }
            if (certificate == null && signingKey == null) {
                throw new IllegalStateException("no credentials: call clientCertificate(ClientCertificate.fromPkcs12(...))"
                        + " for certificate authentication or signingKey(SigningKey.fromP8(...)) for token"
                        + " authentication");
            }
            if (certificate != null && signingKey != null) {
                throw new IllegalStateException("both a client certificate and a signing key are set: choose one, "
                        + "certificate or token authentication");
            }
            SslContexts.Builder tls = SslContexts.builder();
            if (certificate != null) {
                tls.clientCertificate(certificate);
            }
            if (trustedFile != null) {
                tls.trustedCertificates(trustedFile);
            } else if (trusted != null) {
                tls.trustedCertificates(trusted);
            }
            connection.sslContext(tls.build());
            if (signingKey != null) {
                JwtSigner signer = JwtSigner.of(signingKey);
                Duration lifetime = tokenLifetime;
                Clock tokenClock = clock;
                connection.authorization(
                        () -> new TokenAuthorization(ProviderTokenHolder.create(signer, lifetime, tokenClock)));
            } else {
                connection.authorization(null);
            }
            PoolOptions options = pool.connectionOptions(connection.build()).build();
            return new ApnsClient(this, Pool.open(server.origin(), options));
        }
    }
}
