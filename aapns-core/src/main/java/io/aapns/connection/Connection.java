package io.aapns.connection;

import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One HTTP/2 connection to APNs, the lowest level of this library (a port of aapns' {@code Connection}). Open it with
 * {@link #connect(URI, ConnectionOptions)}, send with {@link #post(Request)}, and close it with {@link #close()} or
 * {@link #closeGracefully(Duration)}. It connects directly or through a proxy ({@link ConnectionOptions#proxy()}), one
 * tunnel per connection.
 *
 * <p>{@code post} completes normally for every HTTP answer, whatever its status. It fails with
 * {@link io.aapns.errors.BlockedException} when all of the server's concurrent streams are in use (the limit comes from
 * the server's SETTINGS and changes at run time), with {@link ClosedException} when the connection is or becomes
 * unusable (see {@link ClosedException#safeToRetry()}), and with {@link io.aapns.errors.RequestTimeoutException} when
 * the request's deadline passes (the stream is reset; the connection stays usable).
 *
 * <p>Thread-safe. All state lives on the connection's Netty event loop; requests from other threads are handed over
 * through one queue and written with one flush per batch. Futures complete on the event loop: dependent actions must
 * not block (use the {@code ...Async} variants to move work elsewhere).
 */
public final class Connection implements AutoCloseable {
    private final URI origin;
    private final ConnectionOptions options;
    /** The group this connection made for itself and shuts down; null when the options shared one. */
    final EventLoopGroup ownedGroup;

    final ConnectionHandler handler;

    private Connection(URI origin, ConnectionOptions options, EventLoopGroup ownedGroup) {
        this.origin = origin;
        this.options = options;
        this.ownedGroup = ownedGroup;
        this.handler = ConnectionHandler.create(this, options, authority(origin));
    }

    /**
     * Opens a connection to {@code origin} ({@code https://host[:port]}, nothing else). The future completes when TLS
     * (1.2 or newer, ALPN {@code h2}) is up and the server's first SETTINGS frame has arrived, or fails with
     * {@link ConnectFailedException} saying which stage failed.
     *
     * @throws IllegalArgumentException if {@code origin} is not an {@code https} origin
     */
    public static CompletableFuture<Connection> connect(URI origin, ConnectionOptions options) {
        URI o = validateOrigin(origin);
        Objects.requireNonNull(options, "options");
        EventLoopGroup group = options.eventLoopGroup().orElse(null);
        EventLoopGroup owned = null;
        if (group == null) {
            owned = Transports.newGroup(1, new DefaultThreadFactory("aapns-connection", true));
            group = owned;
        }
        Connection connection = new Connection(o, options, owned);
        String host = o.getHost();
        int port = port(o);
        ConnectionHandler handler = connection.handler;
        ProxyOptions proxy;
        try {
            proxy = options.proxyFor(host).orElse(null);
        } catch (IllegalArgumentException badSystemProperty) {
            handler.failConnect(new ConnectFailedException(
                    ConnectFailedException.Kind.CONNECT_FAILED,
                    "cannot connect to " + o + ": " + badSystemProperty.getMessage(),
                    badSystemProperty));
            return handler.ready();
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.channelType(group))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(
                        Integer.MAX_VALUE, Math.max(1, options.connectTimeout().toMillis())))
                .option(ChannelOption.TCP_NODELAY, true)
                .resolver(Transports.resolver(options))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (proxy != null) {
                            ch.pipeline()
                                    .addLast(
                                            "proxy-tunnel",
                                            new ProxyTunnel(
                                                    proxy,
                                                    host,
                                                    port,
                                                    handler,
                                                    options.connectTimeout().toNanos()));
                        }
                        SslHandler tls = options.sslContext().newHandler(ch.alloc(), host, port);
                        // The connection's own timer covers TLS plus the first SETTINGS.
                        tls.setHandshakeTimeoutMillis(0);
                        ch.pipeline().addLast("tls", tls);
                        ch.pipeline().addLast("setup", new SetupHandler(handler, tls));
                    }
                });
        ChannelFuture connected;
        try {
            // Through a proxy the channel connects to the proxy, and only its name is looked up here.
            connected = proxy == null
                    ? bootstrap.connect(host, port)
                    : bootstrap.connect(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
        } catch (RuntimeException e) {
            handler.failConnect(new ConnectFailedException(
                    ConnectFailedException.Kind.CONNECT_FAILED, "cannot connect to " + o + ": " + e.getMessage(), e));
            return handler.ready();
        }
        handler.channel(connected.channel());
        connected.addListener(f -> {
            if (f.isSuccess()) {
                if (proxy == null) {
                    handler.connected();
                }
                // else the tunnel starts the TLS clock once the proxy has opened it
            } else {
                Throwable cause = f.cause();
                if (proxy != null) {
                    handler.failConnect(proxyUnreachable(proxy, o, options, cause));
                } else if (cause instanceof ConnectTimeoutException) {
                    handler.failConnect(new ConnectFailedException(
                            ConnectFailedException.Kind.CONNECT_TIMEOUT,
                            "TCP connect to " + o + " timed out after "
                                    + options.connectTimeout().toMillis() + " ms",
                            cause));
                } else {
                    handler.failConnect(new ConnectFailedException(
                            ConnectFailedException.Kind.CONNECT_FAILED,
                            "cannot connect to " + o + ": " + cause,
                            cause));
                }
            }
        });
        return handler.ready();
    }

    /** A failure to reach {@code proxy} itself: its name not resolved, or TCP refused or timed out. */
    private static ConnectFailedException proxyUnreachable(
            ProxyOptions proxy, URI origin, ConnectionOptions options, Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return new ConnectFailedException(
                    ConnectFailedException.Kind.CONNECT_TIMEOUT,
                    "TCP connect to the " + proxy.describe() + " (for " + origin + ") timed out after "
                            + options.connectTimeout().toMillis() + " ms",
                    cause);
        }
        return new ConnectFailedException(
                ConnectFailedException.Kind.CONNECT_FAILED,
                "cannot connect to the " + proxy.describe() + " (for " + origin + "): " + Frames.describe(cause),
                cause);
    }

    /**
     * A new event loop group on the fastest transport available (epoll when its native library is on the class path,
     * NIO otherwise), with daemon threads, for sharing among connections through
     * {@link ConnectionOptions.Builder#eventLoopGroup}. The caller shuts it down.
     */
    public static EventLoopGroup newEventLoopGroup(int threads, String threadNamePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return Transports.newGroup(threads, new DefaultThreadFactory(threadNamePrefix, true));
    }

    /**
     * Checks that {@code origin} is an {@code https://host[:port]} origin and returns it.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static URI requireOrigin(URI origin) {
        return validateOrigin(origin);
    }

    private static URI validateOrigin(URI origin) {
        Objects.requireNonNull(origin, "origin");
        if (origin.getScheme() == null
                || !origin.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new IllegalArgumentException("origin must use https: " + origin);
        }
        if (origin.getHost() == null || origin.getHost().isEmpty()) {
            throw new IllegalArgumentException("origin has no host: " + origin);
        }
        if (origin.getRawUserInfo() != null) {
            throw new IllegalArgumentException("origin must not carry user info: " + origin);
        }
        String path = origin.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("origin must not have a path (requests carry it): " + origin);
        }
        if (origin.getRawQuery() != null || origin.getRawFragment() != null) {
            throw new IllegalArgumentException("origin must not have a query or fragment: " + origin);
        }
        if (origin.getPort() > 65535) {
            throw new IllegalArgumentException("origin has an invalid port: " + origin);
        }
        return origin;
    }

    private static int port(URI origin) {
        return origin.getPort() < 0 ? 443 : origin.getPort();
    }

    private static String authority(URI origin) {
        String host = origin.getHost();
        return origin.getPort() < 0 ? host : host + ":" + origin.getPort();
    }

    /**
     * Sends {@code request} on a new stream. The future completes with the server's answer (any status) or fails as
     * described in the class documentation. Never throws for a closed or busy connection: the future carries the
     * failure. Cancelling the returned future resets the request's stream with {@code CANCEL} if it was sent.
     */
    public CompletableFuture<Response> post(Request request) {
        Objects.requireNonNull(request, "request");
        return handler.outbox.post(request);
    }

    /**
     * Sends {@code request} like {@link #post(Request)}, but reports the outcome to {@code callback} instead of a
     * future: exactly once, with the answer and a null failure, or a null answer and the failure. It saves the future
     * and its completion stages, which is what a pool or a load generator wants; the callback runs on the connection's
     * event loop (or on the calling thread when the connection is already closed), so it must be quick and must not
     * block. A callback that throws is logged and otherwise ignored.
     */
    public void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callback, "callback");
        handler.outbox.post(request, callback);
    }

    /**
     * Sends {@code request} like {@link #post(Request, BiConsumer)}, with the deadline {@code deadlineNanos} (on
     * {@link System#nanoTime()}'s clock) in place of the request's own timeout or deadline: for a pool that fixes a
     * request's deadline once and gives each attempt its own, without a copy of the request for each.
     */
    public void post(Request request, long deadlineNanos, BiConsumer<? super Response, ? super Throwable> callback) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callback, "callback");
        handler.outbox.post(request, deadlineNanos, callback);
    }

    /**
     * Closes the connection now: requests in flight fail with {@link ClosedException} (not safe to retry once written),
     * queued ones with one that is. Idempotent; returns at once.
     */
    @Override
    public void close() {
        handler.close();
    }

    /**
     * Stops taking requests, sends GOAWAY, lets requests in flight finish, then closes; those still in flight after
     * {@code timeout} fail with {@link ClosedException}. Idempotent.
     *
     * @return a future that completes when the connection is closed
     */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return handler.closeGracefully(timeout);
    }

    /** A future that completes when the connection is closed, for whatever reason. */
    public CompletableFuture<Void> closeFuture() {
        return handler.closeFuture();
    }

    /** The origin this connection was opened to. */
    public URI origin() {
        return origin;
    }

    /** The options it was opened with. */
    public ConnectionOptions options() {
        return options;
    }

    /** Where the connection is in its life cycle. */
    public ConnectionState state() {
        return handler.state;
    }

    /** Whether new requests can be posted: the state is {@link ConnectionState#ACTIVE}. */
    public boolean isActive() {
        return handler.state == ConnectionState.ACTIVE;
    }

    /** Requests written or being written and not yet answered. */
    public int inFlight() {
        return handler.exchanges.inFlight;
    }

    /** The server's current SETTINGS_MAX_CONCURRENT_STREAMS ({@code Integer.MAX_VALUE} if it set none). */
    public long maxConcurrentStreams() {
        return handler.maxConcurrentStreams;
    }

    /** Requests handed to the server so far. */
    public long sentCount() {
        return handler.exchanges.sent;
    }

    /** Requests the server answered (any status). */
    public long answeredCount() {
        return handler.exchanges.answered;
    }

    /**
     * Requests that failed without an answer (blocked, closed, timed out). A {@code post} on a connection that is
     * already draining or closed fails at once and is not counted.
     */
    public long failedCount() {
        return handler.exchanges.failed;
    }

    /** Keep-alive PINGs the server acknowledged: proof that an idle connection is alive. */
    public long pingsAcknowledged() {
        return handler.keepAlive.acknowledged;
    }

    /**
     * Whether the connection is waiting for the acknowledgement of a PING it sent because a request got no answer
     * within its deadline. While it waits, a pool sends it nothing new; if the acknowledgement does not come within the
     * PING timeout, the connection closes.
     */
    public boolean isUnresponsive() {
        return handler.keepAlive.unresponsive;
    }

    /** The last thing that went wrong with the connection itself, if anything did. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(handler.lastError);
    }

    /** When the connection became ready. */
    public Optional<Instant> connectedSince() {
        return Optional.ofNullable(handler.connectedSince);
    }

    /**
     * The reason the server gave in its GOAWAY: the {@code reason} of its JSON debug data (such as {@code Shutdown} or
     * {@code IdleTimeout}), or the debug data as text when it is not JSON.
     */
    public Optional<String> goAwayReason() {
        return Optional.ofNullable(handler.goAwayReason);
    }

    /** The last-stream-id of the server's GOAWAY, if one arrived. */
    public OptionalInt goAwayLastStreamId() {
        int id = handler.goAwayLastStreamId;
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public String toString() {
        return "Connection{" + origin + ", " + handler.state + ", in flight " + handler.exchanges.inFlight + "/"
                + handler.maxConcurrentStreams + "}";
    }

    /** Releases the event loop the connection created for itself, once it is closed. */
    void releaseOwnedGroup() {
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }
}
