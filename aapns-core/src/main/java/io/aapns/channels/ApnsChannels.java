package io.aapns.channels;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.connection.ApnsResources;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.connection.TokenAuthorization;
import io.aapns.errors.ApnsException;
import io.aapns.errors.Reason;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.internal.ApnsHeaders;
import io.aapns.internal.ClientTls;
import io.aapns.internal.HeaderValues;
import io.aapns.internal.JwtSigner;
import io.aapns.internal.ProviderTokenHolder;
import io.aapns.internal.Validation;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.pool.ConnectionSnapshot;
import io.aapns.pool.Pool;
import io.aapns.pool.PoolOptions;
import io.aapns.pool.PoolStats;
import io.aapns.pool.RetryPolicy;
import io.aapns.spi.ApnsListener;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Manages the broadcast channels of one app on Apple's channel management host: {@link #create}, {@link #get},
 * {@link #list} and {@link #delete}. Build one with the same credentials as the {@code ApnsClient} that broadcasts
 * (certificate or signing key), and keep it:
 *
 * <pre>{@code
 * ApnsChannels channels = ApnsChannels.builder()
 *     .server(ApnsChannelServer.production())
 *     .signingKey(SigningKey.fromP8(path, keyId, teamId))
 *     .bundleId("com.example.app")
 *     .build();
 * String channelId = channels.create(MessageStoragePolicy.NO_MESSAGE_STORED).join();
 * client.broadcast(channelId, Notification.builder().liveActivity(update).build(), BroadcastOptions.defaults());
 * }</pre>
 *
 * <p><b>One rule for rejections</b>: when APNs answers and refuses, the operation's future completes exceptionally with
 * {@link ChannelRejectedException} (operation, status, {@link Reason}, apns-request-id), for all four operations. Other
 * failures are the pool's: {@link RequestTimeoutException} when the deadline passes, {@code ClosedException} when the
 * client is closed, and {@link ChannelOutcomeUnknownException} when a create went out and its answer was lost.
 *
 * <p><b>What is re-sent</b>: requests the server certainly did not process (refused stream, above a GOAWAY's last
 * stream, not sent whole) are re-sent until the deadline, and 429/500/503 answers with back-off as the
 * {@link RetryPolicy} says, as for notifications. A request that went out whole and lost its answer is different per
 * operation: a create is not idempotent and fails with {@link ChannelOutcomeUnknownException}, never re-sent; a read,
 * list or delete is re-sent at most {@link Builder#maxUnsafeRetries} times (default 1) within its deadline. A delete
 * re-sent that way and answered ChannelNotRegistered completes normally: the channel is gone, which is what was asked.
 *
 * <p>Its own small pool (one connection by default, two at most) to the management host, with the client's deadlines,
 * keep-alive and back-off. Thread-safe; futures complete on the pool's event loop, so dependent actions must not block.
 */
public final class ApnsChannels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApnsChannels.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String JSON_TYPE = "application/json";
    private static final String PUSH_TYPE = "LiveActivity";

    private final ApnsChannelServer server;
    private final String bundleId;
    private final String channelsPath;
    private final String allChannelsPath;
    private final int maxUnsafeRetries;
    private final long requestTimeoutNanos;
    private final ChannelObserver observer;
    private final Pool pool;

    private ApnsChannels(Builder b, Pool pool) {
        this.server = b.server;
        this.bundleId = b.bundleId;
        this.channelsPath = "/1/apps/" + bundleId + "/channels";
        this.allChannelsPath = "/1/apps/" + bundleId + "/all-channels";
        this.maxUnsafeRetries = b.maxUnsafeRetries;
        this.requestTimeoutNanos = b.requestTimeout.toNanos();
        this.observer = b.observer;
        this.pool = pool;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ operations

    /**
     * Creates a channel for Live Activity broadcasts with {@code policy} (fixed for the channel's life) and completes
     * with its id (APNs' {@code apns-channel-id}, base64). The app may have 10 000 channels per environment; beyond
     * that APNs refuses with CannotCreateChannelConfig.
     */
    public CompletableFuture<String> create(MessageStoragePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        String body = "{\"message-storage-policy\":" + policy.value() + ",\"push-type\":\"" + PUSH_TYPE + "\"}";
        Request.Builder request = Request.builder(channelsPath)
                .header(ApnsHeaders.CONTENT_TYPE, JSON_TYPE)
                .payload(body);
        return call(ChannelOperation.CREATE, request, response -> {
            String id = response.apnsChannelId().orElse(null);
            if (id == null || id.isEmpty()) {
                throw new ApnsException("APNs answered the channel create with " + response.status()
                        + " but no apns-channel-id: a channel may have been made; list() shows the app's channels");
            }
            return id;
        });
    }

    /** Reads channel {@code channelId}: its storage policy and push type. */
    public CompletableFuture<Channel> get(String channelId) {
        Validation.checkChannelId(channelId);
        Request.Builder request = Request.get(channelsPath).header(ApnsHeaders.APNS_CHANNEL_ID, channelId);
        return call(ChannelOperation.READ, request, response -> {
            JsonNode body = body(response);
            JsonNode policy = body.get("message-storage-policy");
            JsonNode pushType = body.get("push-type");
            if (policy == null || !policy.canConvertToInt()) {
                throw new ApnsException("APNs described channel " + channelId + " without a message-storage-policy: "
                        + response.bodyText());
            }
            return new Channel(
                    channelId,
                    MessageStoragePolicy.fromValue(policy.asInt()),
                    pushType != null && pushType.isString() ? pushType.stringValue() : PUSH_TYPE);
        });
    }

    /** Lists the ids of every channel of the app in this environment. */
    public CompletableFuture<List<String>> list() {
        return call(ChannelOperation.LIST, Request.get(allChannelsPath), response -> {
            if (response.body().length == 0) {
                return List.of(); // Apple's page says the body is empty; an app without channels may get that
            }
            JsonNode root = body(response);
            JsonNode channels = root.isArray() ? root : root.get("channels");
            if (channels == null || !channels.isArray()) {
                throw new ApnsException("APNs listed channels without a channels array: " + response.bodyText());
            }
            List<String> ids = new ArrayList<>(channels.size());
            for (JsonNode id : channels) {
                ids.add(id.asString());
            }
            return List.copyOf(ids);
        });
    }

    /**
     * Deletes channel {@code channelId}, for good: broadcasts to it are refused from then on (messages already stored
     * may still be delivered). Completes when APNs confirms.
     */
    public CompletableFuture<Void> delete(String channelId) {
        Validation.checkChannelId(channelId);
        Request.Builder request = Request.delete(channelsPath).header(ApnsHeaders.APNS_CHANNEL_ID, channelId);
        return call(ChannelOperation.DELETE, request, response -> null);
    }

    // ------------------------------------------------------------------ the call

    private <T> CompletableFuture<T> call(
            ChannelOperation operation, Request.Builder builder, Function<Response, T> success) {
        String requestId = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + requestTimeoutNanos;
        Request request = builder.header(ApnsHeaders.APNS_REQUEST_ID, requestId)
                .deadlineNanos(deadline)
                .build();
        CompletableFuture<T> result = new CompletableFuture<>();
        ChannelObserver.ObservedOperation observed = observe(operation, requestId);
        if (observed != null) {
            result.whenComplete((value, failure) -> {
                try {
                    observed.ended(
                            failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure);
                } catch (RuntimeException e) {
                    log.warn("channel observer failed", e);
                }
            });
        }
        attempt(operation, request, requestId, success, result, 0, observed);
        return result;
    }

    private ChannelObserver.ObservedOperation observe(ChannelOperation operation, String requestId) {
        if (observer == ChannelObserver.NONE) {
            return null;
        }
        try {
            return observer.started(new ChannelObserver.Started(operation, requestId, bundleId));
        } catch (RuntimeException e) {
            log.warn("channel observer failed; the {} goes on unobserved", operation.tag(), e);
            return null;
        }
    }

    private <T> void attempt(
            ChannelOperation operation,
            Request request,
            String requestId,
            Function<Response, T> success,
            CompletableFuture<T> result,
            int uncertainResends,
            ChannelObserver.ObservedOperation observed) {
        pool.post(request, (response, failure) -> {
            try {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    boolean uncertain = cause instanceof ApnsException a && a.possiblyDelivered();
                    if (uncertain && operation == ChannelOperation.CREATE) {
                        fail(
                                result,
                                new ChannelOutcomeUnknownException(
                                        operation,
                                        "the channel create went out but its answer was lost (" + cause.getMessage()
                                                + "): APNs may have made the channel; a create is not idempotent, so"
                                                + " it was not sent again; list() shows the app's channels",
                                        cause));
                        return;
                    }
                    if (uncertain
                            && uncertainResends < maxUnsafeRetries
                            && System.nanoTime() - request.deadlineNanos(0, 0) < 0) {
                        // read, list and delete may be sent again: doing them twice changes nothing
                        if (observed != null) {
                            observed.retried(
                                    uncertainResends + 1, cause.getClass().getSimpleName());
                        }
                        attempt(operation, request, requestId, success, result, uncertainResends + 1, observed);
                        return;
                    }
                    fail(result, cause);
                    return;
                }
                if (response.is2xx()) {
                    result.complete(success.apply(response));
                    return;
                }
                String reasonText = response.reason().orElse(null);
                if (operation == ChannelOperation.DELETE
                        && uncertainResends > 0
                        && Reason.fromString(reasonText) == Reason.CHANNEL_NOT_REGISTERED) {
                    result.complete(null); // the first, unanswered delete did it
                    return;
                }
                fail(
                        result,
                        new ChannelRejectedException(
                                operation,
                                response.status(),
                                reasonText,
                                response.apnsRequestId().orElse(requestId)));
            } catch (RuntimeException e) {
                fail(result, e);
            }
        });
    }

    private static void fail(CompletableFuture<?> result, Throwable cause) {
        result.completeExceptionally(cause instanceof CompletionException ? cause : new CompletionException(cause));
    }

    private static JsonNode body(Response response) {
        try {
            JsonNode root = JSON.readTree(response.body());
            if (root == null || !(root.isObject() || root.isArray())) {
                throw new ApnsException("APNs answered " + response.status() + " with a body that is not a JSON"
                        + " object: " + response.bodyText());
            }
            return root;
        } catch (ApnsException e) {
            throw e;
        } catch (RuntimeException notJson) {
            throw new ApnsException(
                    "APNs answered " + response.status() + " with a body that is not JSON: " + response.bodyText(),
                    notJson);
        }
    }

    // ------------------------------------------------------------------ life cycle and looking inside

    /** Completes when the first connection to the management host is ready, or fails with the reason it is not. */
    public CompletableFuture<ApnsChannels> ready() {
        return pool.ready().thenApply(p -> this);
    }

    /** Closes at once: operations not yet answered fail with {@code ClosedException}. */
    @Override
    public void close() {
        pool.close();
    }

    /** Takes no new operations, lets those in flight finish within {@code timeout}, then closes. */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        return pool.closeGracefully(timeout);
    }

    /** One snapshot per connection to the management host, for health. */
    public List<ConnectionSnapshot> connections() {
        return pool.connections();
    }

    /** Counters of the underlying pool. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** True until closed. */
    public boolean isOpen() {
        return pool.isOpen();
    }

    /** Why it closed itself (credentials refused, ...), if it did. */
    public Optional<ApnsException> closeCause() {
        return pool.closeCause();
    }

    /** The management host. */
    public ApnsChannelServer server() {
        return server;
    }

    /** The app whose channels these are. */
    public String bundleId() {
        return bundleId;
    }

    @Override
    public String toString() {
        return "ApnsChannels{" + server + ", " + bundleId + "}";
    }

    /**
     * Builds {@link ApnsChannels}, like {@code ApnsClient.Builder}: server, credentials, trust, bundle id, timeouts,
     * event loops. Not thread-safe.
     */
    public static final class Builder {
        /** Two connections are plenty: channel calls are rare next to pushes. */
        static final int MAX_POOL_SIZE = 2;

        private final ConnectionOptions.Builder connection = ConnectionOptions.builder();
        private final PoolOptions.Builder pool = PoolOptions.builder().size(1).maxPending(1000);
        private ApnsChannelServer server;
        private ClientCertificate certificate;
        private ApnsResources resources;
        private boolean ownGroup;
        private SigningKey signingKey;
        private List<X509Certificate> trusted;
        private Path trustedFile;
        private String bundleId;
        private int maxUnsafeRetries = 1;
        private Duration requestTimeout;
        private Duration tokenLifetime = ProviderTokenHolder.DEFAULT_LIFETIME;
        private Clock clock = Clock.systemUTC();
        private ChannelObserver observer = ChannelObserver.NONE;

        private Builder() {
            requestTimeout(Duration.ofSeconds(10));
        }

        /** The management host: {@link ApnsChannelServer#production()}, {@code development()} or {@code of(uri)}. */
        public Builder server(ApnsChannelServer server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /** Certificate authentication with this TLS client certificate (the push certificate of the app). */
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

        /** The app's bare bundle id, such as {@code com.example.app} (required; no push-type suffix). */
        public Builder bundleId(String bundleId) {
            this.bundleId = HeaderValues.checkBundleId(bundleId);
            return this;
        }

        /** Connections to the management host: 1 (default) or 2. */
        public Builder poolSize(int size) {
            if (size < 1 || size > MAX_POOL_SIZE) {
                throw new IllegalArgumentException("the channel management pool has 1 or 2 connections, not " + size);
            }
            pool.size(size);
            return this;
        }

        /** How long an operation may take, retries included (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            pool.requestTimeout(timeout);
            connection.requestTimeout(timeout);
            this.requestTimeout = timeout;
            return this;
        }

        /** TCP connect timeout (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            connection.connectTimeout(timeout);
            return this;
        }

        /** PING an idle connection this often (default 60 s). */
        public Builder pingInterval(Duration interval) {
            connection.pingInterval(interval);
            return this;
        }

        /** PING acknowledgement timeout (default 5 s). */
        public Builder pingTimeout(Duration timeout) {
            connection.pingTimeout(timeout);
            return this;
        }

        /**
         * How long one attempt waits for its answer (default 3 s; see {@link PoolOptions#attemptTimeout()}). A create
         * unanswered by then fails with {@link ChannelOutcomeUnknownException}.
         */
        public Builder attemptTimeout(Duration timeout) {
            pool.attemptTimeout(timeout);
            return this;
        }

        /** Re-sends of a read, list or delete whose answer was lost (default 1); a create is never re-sent that way. */
        public Builder maxUnsafeRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxUnsafeRetries must not be negative, got " + retries);
            }
            this.maxUnsafeRetries = retries;
            return this;
        }

        /** How long {@link ApnsChannels#ready()} waits for a first connection (default 30 s). */
        public Builder startTimeout(Duration timeout) {
            pool.startTimeout(timeout);
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

        /** Observes each operation from its call to its end, for tracing; see {@link ChannelObserver}. */
        public Builder observer(ChannelObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Receives connection and request events, for metrics and logging. */
        public Builder listener(ApnsListener listener) {
            connection.listener(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Runs on these shared event loops, those of the application's clients; they stay up until the resources are
         * closed and everything built with them has closed. Not together with {@link #eventLoopGroup}.
         */
        public Builder resources(ApnsResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** Share this event loop group (the caller shuts it down), e.g. the client's. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            connection.eventLoopGroup(Objects.requireNonNull(group, "group"));
            ownGroup = true;
            return this;
        }

        /**
         * Builds it and starts opening its connection; it does not wait for it (see {@link ApnsChannels#ready()}).
         *
         * @throws IllegalStateException if the server, the bundle id or the credentials are missing, or both kinds of
         *     credentials are set
         */
        public ApnsChannels build() {
            if (server == null) {
                throw new IllegalStateException("no server: call server(ApnsChannelServer.production()) or"
                        + " server(ApnsChannelServer.development()), or ApnsChannelServer.of(uri) for another origin");
            }
            if (resources != null && ownGroup) {
                throw new IllegalStateException("both resources(...) and eventLoopGroup(...) are set: give shared"
                        + " ApnsResources, or an event loop group of your own, not both");
            }
            if (bundleId == null) {
                throw new IllegalStateException("no bundle id: call bundleId(\"com.example.app\") with the app's"
                        + " bundle id, the topic of its pushes without a suffix");
            }
            if (certificate == null && signingKey == null) {
                throw new IllegalStateException("no credentials: call clientCertificate(...) or signingKey(...), the"
                        + " same as the ApnsClient's");
            }
            if (certificate != null && signingKey != null) {
                throw new IllegalStateException("both a client certificate and a signing key are set: choose one, "
                        + "certificate or token authentication");
            }
            connection.sslContext(new ClientTls(trusted, trustedFile).context(certificate));
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
            // 0: the pool never re-sends an attempt that may have reached APNs; ApnsChannels decides per operation
            PoolOptions options = pool.connectionOptions(connection.build())
                    .maxUnsafeRetries(0)
                    .build();
            return new ApnsChannels(this, Pool.open(server.origin(), options, lease));
        }
    }
}
