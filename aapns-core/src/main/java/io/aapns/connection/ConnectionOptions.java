package io.aapns.connection;

import io.aapns.auth.SslContexts;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link Connection} is opened and kept: TLS context, timeouts, keep-alive, proxy, event loops and listener.
 * Immutable; build with {@link #builder()}. {@link #defaults()} suits token authentication against Apple's servers.
 */
public final class ConnectionOptions {
    private final SslContext sslContext;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration requestTimeout;
    private final EventLoopGroup eventLoopGroup;
    private final ConnectionListener listener;
    private final int firstStreamId;
    private final Supplier<? extends Authorization> authorization;
    private final ConnectionEvents events;
    private final HostLookup hostLookup;
    private final boolean frameLogging;
    private final ProxyOptions proxy;
    private final boolean useSystemProxy;

    private ConnectionOptions(Builder b) {
        this.sslContext = b.sslContext != null ? b.sslContext : SslContexts.forTokenAuthentication();
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.pingInterval = b.pingInterval;
        this.pingTimeout = b.pingTimeout;
        this.requestTimeout = b.requestTimeout;
        this.eventLoopGroup = b.eventLoopGroup;
        this.listener = b.listener;
        this.firstStreamId = b.firstStreamId;
        this.authorization = b.authorization;
        this.events = b.events;
        this.hostLookup = b.hostLookup;
        this.frameLogging = b.frameLogging;
        this.proxy = b.proxy;
        this.useSystemProxy = b.useSystemProxy;
    }

    /** Starts a builder with the default values. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: token-auth TLS with the system's trust store, timeouts as documented. */
    public static ConnectionOptions defaults() {
        return builder().build();
    }

    /** A builder holding these options, to derive a changed copy. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.sslContext = sslContext;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.requestTimeout = requestTimeout;
        b.eventLoopGroup = eventLoopGroup;
        b.listener = listener;
        b.firstStreamId = firstStreamId;
        b.authorization = authorization;
        b.events = events;
        b.hostLookup = hostLookup;
        b.frameLogging = frameLogging;
        b.proxy = proxy;
        b.useSystemProxy = useSystemProxy;
        return b;
    }

    /** The client TLS context (ALPN h2, TLS 1.2+), with a client certificate or without. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** Limit on establishing TCP, and separately on looking up the host name before it. Default 10 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Limit on the TLS handshake plus the server's first SETTINGS frame. Default 10 s. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** After this long without any frame from the server, send a PING. Zero disables. Default 60 s. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** A PING not acknowledged within this time closes the connection as dead. Default 20 s. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** The deadline of a request that has none of its own. Default 30 s. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The event loop group to share; empty means the connection runs its own single thread. */
    public Optional<EventLoopGroup> eventLoopGroup() {
        return Optional.ofNullable(eventLoopGroup);
    }

    /**
     * Receives the connection's events. Default {@link ConnectionListener#NONE}. An {@code ApnsListener} given here
     * also receives a pool's events unless {@code PoolOptions} names a listener of its own.
     */
    public ConnectionListener listener() {
        return listener;
    }

    /** Makes the {@link Authorization} of each new connection, if requests carry one. */
    public Optional<Supplier<? extends Authorization>> authorization() {
        return Optional.ofNullable(authorization);
    }

    /**
     * Receives what a connection tells its holder (GOAWAY, more capacity). Default {@link ConnectionEvents#NONE}; a
     * pool sets its own.
     */
    public ConnectionEvents events() {
        return events;
    }

    /** The proxy every connection goes through; empty for direct connections (or the system's, see below). */
    public Optional<ProxyOptions> proxy() {
        return Optional.ofNullable(proxy);
    }

    /**
     * Whether connections without an explicit {@link #proxy()} take the proxy that the JVM's standard proxy system
     * properties name ({@link ProxyOptions#fromSystemProperties(String)}, read at each connect). Default false.
     */
    public boolean useSystemProxy() {
        return useSystemProxy;
    }

    /**
     * The proxy a connection to {@code host} goes through now: the explicit one, else the system properties' one if
     * {@link #useSystemProxy()}, else none.
     */
    Optional<ProxyOptions> proxyFor(String host) {
        if (proxy != null) {
            return Optional.of(proxy);
        }
        return useSystemProxy ? ProxyOptions.fromSystemProperties(host) : Optional.empty();
    }

    /** The first client stream id (tests use a high one to reach exhaustion quickly). */
    int firstStreamId() {
        return firstStreamId;
    }

    /** How host names become addresses (tests inject a slow or failing one). */
    HostLookup hostLookup() {
        return hostLookup;
    }

    /**
     * Whether every HTTP/2 frame is logged at DEBUG on the {@code io.aapns.frames} logger, for debugging (default
     * false). The {@code authorization} header (a provider token) is never written out.
     */
    public boolean frameLogging() {
        return frameLogging;
    }

    /** Builds {@link ConnectionOptions}. Not thread-safe. */
    public static final class Builder {
        private SslContext sslContext;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration pingInterval = Duration.ofSeconds(60);
        private Duration pingTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private EventLoopGroup eventLoopGroup;
        private ConnectionListener listener = ConnectionListener.NONE;
        private int firstStreamId = 1;
        private Supplier<? extends Authorization> authorization;
        private ConnectionEvents events = ConnectionEvents.NONE;
        private HostLookup hostLookup = HostLookup.JDK;
        private boolean frameLogging;
        private ProxyOptions proxy;
        private boolean useSystemProxy;

        private Builder() {}

        /**
         * Token authentication: {@code perConnection} makes one {@link Authorization} for each connection, which adds
         * the {@code authorization} header to its requests. Null for none (certificate authentication).
         */
        public Builder authorization(Supplier<? extends Authorization> perConnection) {
            this.authorization = perConnection;
            return this;
        }

        /**
         * The client TLS context, see {@link SslContexts}. It must be a client context that offers ALPN {@code h2}.
         * Default: token authentication with the system trust store.
         */
        public Builder sslContext(SslContext sslContext) {
            Objects.requireNonNull(sslContext, "sslContext");
            if (!sslContext.isClient()) {
                throw new IllegalArgumentException("sslContext must be a client context");
            }
            this.sslContext = sslContext;
            return this;
        }

        /** Limit on establishing TCP, and separately on the host name lookup; must be positive. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Limit on TLS plus the server's first SETTINGS; must be positive. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Idle time before a keep-alive PING; {@link Duration#ZERO} disables PINGs. */
        public Builder pingInterval(Duration interval) {
            Objects.requireNonNull(interval, "pingInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pingInterval must not be negative");
            }
            this.pingInterval = interval;
            return this;
        }

        /**
         * Time allowed for a PING's acknowledgement before the connection is declared dead and closed (default 5 s:
         * APNs acknowledges at once, so a few seconds tell a half-open connection quickly); must be positive.
         */
        public Builder pingTimeout(Duration timeout) {
            this.pingTimeout = positive(timeout, "pingTimeout");
            return this;
        }

        /** Deadline of requests that carry none; must be positive. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * Runs the connection on this group (shared with others, owned by the caller, who shuts it down). Epoll groups
         * get epoll channels, all others NIO.
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Receives the connection's events (an {@code ApnsListener} is one). */
        public Builder listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Receives what each connection tells its holder: GOAWAY, and more capacity than before. A pool uses this to
         * learn of its connections' state; observers use {@link #listener}.
         */
        public Builder events(ConnectionEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * Connects through this proxy (HTTP {@code CONNECT} or SOCKS5); null for direct connections. The proxy resolves
         * APNs' host name: it gets the name unresolved and no lookup of it runs here. With a proxy, the connect timeout
         * bounds, each on its own, the lookup of the proxy's host name, the TCP connect to the proxy and the proxy's
         * opening of the tunnel; the handshake timeout starts once the tunnel is up. It wins over
         * {@link #useSystemProxy(boolean)}.
         */
        public Builder proxy(ProxyOptions proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Whether connections take the proxy named by the JVM's standard proxy system properties
         * ({@code https.proxyHost}/{@code https.proxyPort}, else {@code socksProxyHost}/{@code socksProxyPort},
         * honouring {@code http.nonProxyHosts} and {@code socksNonProxyHosts}; see
         * {@link ProxyOptions#fromSystemProperties(String)}) when no {@link #proxy(ProxyOptions)} is set. Read at each
         * connect; without such properties connections are direct. Default false: system properties are ignored unless
         * asked for.
         */
        public Builder useSystemProxy(boolean use) {
            this.useSystemProxy = use;
            return this;
        }

        /** Test hook: the first client stream id (odd, positive). */
        Builder firstStreamId(int id) {
            if (id <= 0 || (id & 1) == 0) {
                throw new IllegalArgumentException("client stream ids are odd and positive: " + id);
            }
            this.firstStreamId = id;
            return this;
        }

        /** Test hook: how host names become addresses. Default the JDK's lookup. */
        Builder hostLookup(HostLookup lookup) {
            this.hostLookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * Logs every HTTP/2 frame at DEBUG on the {@code io.aapns.frames} logger (switch that logger to DEBUG too),
         * with the {@code authorization} header redacted. For debugging: it is slow and verbose.
         */
        public Builder frameLogging(boolean enabled) {
            this.frameLogging = enabled;
            return this;
        }

        /** Builds the immutable options. */
        public ConnectionOptions build() {
            return new ConnectionOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
