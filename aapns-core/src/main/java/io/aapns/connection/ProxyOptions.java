package io.aapns.connection;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A proxy that connections to APNs go through: an HTTP proxy, asked for a tunnel with {@code CONNECT} (optionally with
 * basic authentication), or a SOCKS5 proxy (optionally with a user name and password). Immutable; make one with
 * {@link #http(String, int)}, {@link #socks5(String, int)}, {@link #builder(Type, String, int)} or
 * {@link #fromSystemProperties()}, and give it to {@link ConnectionOptions.Builder#proxy(ProxyOptions)}.
 *
 * <p>The proxy resolves APNs' host name: a connection sends it the name as written in the origin and looks up no
 * address of its own for it (only the proxy's own host name is looked up here). Each connection is its own tunnel. TLS
 * runs inside the tunnel, end to end with APNs: the proxy sees neither the certificate nor the requests.
 */
public final class ProxyOptions {

    /** The proxy protocol. */
    public enum Type {
        /** An HTTP proxy that opens tunnels with {@code CONNECT host:port}; credentials go as basic authentication. */
        HTTP,
        /** A SOCKS5 proxy (RFC 1928); credentials go as its user name and password authentication (RFC 1929). */
        SOCKS5
    }

    /** The JDK's default of {@code http.nonProxyHosts}, used when the property is not set. */
    static final String JDK_DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

    private final Type type;
    private final String host;
    private final int port;
    private final String username;
    private final String password;

    private ProxyOptions(Builder b) {
        this.type = b.type;
        this.host = b.host;
        this.port = b.port;
        this.username = b.username;
        this.password = b.password;
    }

    /** An HTTP ({@code CONNECT}) proxy without authentication. */
    public static ProxyOptions http(String host, int port) {
        return builder(Type.HTTP, host, port).build();
    }

    /** A SOCKS5 proxy without authentication. */
    public static ProxyOptions socks5(String host, int port) {
        return builder(Type.SOCKS5, host, port).build();
    }

    /**
     * Starts a builder for a proxy of {@code type} at {@code host:port}.
     *
     * @throws IllegalArgumentException if the host is empty or the port is not between 1 and 65535
     */
    public static Builder builder(Type type, String host, int port) {
        return new Builder(type, host, port);
    }

    /**
     * The proxy the JVM's standard proxy system properties name for connections to APNs, read now:
     * {@code https.proxyHost} and {@code https.proxyPort} (default 443, as in the JDK) for an HTTP proxy, else
     * {@code socksProxyHost} and {@code socksProxyPort} (default 1080) for a SOCKS5 proxy, with the user name and
     * password of {@code java.net.socks.username} and {@code java.net.socks.password}. The HTTP proxy is preferred when
     * both are set, as the JDK does for {@code https} URLs. {@code http.nonProxyHosts} is not consulted here (it needs
     * the target host: see {@link #fromSystemProperties(String)}).
     *
     * @return empty when neither {@code https.proxyHost} nor {@code socksProxyHost} is set
     * @throws IllegalArgumentException if a port property is not a port number, or {@code socksProxyVersion} asks for
     *     SOCKS4, which is not supported
     */
    public static Optional<ProxyOptions> fromSystemProperties() {
        return fromProperties(System::getProperty, null);
    }

    /**
     * Like {@link #fromSystemProperties()}, but empty when {@code targetHost} is exempt from the proxy: listed in
     * {@code http.nonProxyHosts} for the HTTP proxy, in {@code socksNonProxyHosts} for the SOCKS5 proxy ({@code |}
     * separated patterns, {@code *} at either end as a wildcard, case-insensitive). As in the JDK, an unset list means
     * {@value #JDK_DEFAULT_NON_PROXY_HOSTS}, so loopback targets are reached directly; an empty one exempts nothing.
     * This is what a connection with {@link ConnectionOptions.Builder#useSystemProxy(boolean)} uses, at each connect.
     */
    public static Optional<ProxyOptions> fromSystemProperties(String targetHost) {
        Objects.requireNonNull(targetHost, "targetHost");
        return fromProperties(System::getProperty, targetHost);
    }

    /** {@link #fromSystemProperties(String)} over any source of properties; a null target skips the exemptions. */
    static Optional<ProxyOptions> fromProperties(UnaryOperator<String> properties, String targetHost) {
        String httpsHost = trimmed(properties.apply("https.proxyHost"));
        if (httpsHost != null) {
            int port = port(properties, "https.proxyPort", 443);
            String exempt = properties.apply("http.nonProxyHosts");
            if (targetHost != null && exempt(targetHost, exempt == null ? JDK_DEFAULT_NON_PROXY_HOSTS : exempt)) {
                return Optional.empty();
            }
            return Optional.of(http(httpsHost, port));
        }
        String socksHost = trimmed(properties.apply("socksProxyHost"));
        if (socksHost == null) {
            return Optional.empty();
        }
        String version = trimmed(properties.apply("socksProxyVersion"));
        if (version != null && !version.equals("5")) {
            throw new IllegalArgumentException("socksProxyVersion is " + version + ": only SOCKS5 proxies are supported"
                    + " (set socksProxyVersion=5 or remove it)");
        }
        int port = port(properties, "socksProxyPort", 1080);
        String socksExempt = properties.apply("socksNonProxyHosts");
        if (targetHost != null && exempt(targetHost, socksExempt == null ? JDK_DEFAULT_NON_PROXY_HOSTS : socksExempt)) {
            return Optional.empty();
        }
        Builder b = builder(Type.SOCKS5, socksHost, port);
        String user = properties.apply("java.net.socks.username");
        if (user != null && !user.isEmpty()) {
            String password = properties.apply("java.net.socks.password");
            b.credentials(user, password == null ? "" : password);
        }
        return Optional.of(b.build());
    }

    private static String trimmed(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        return t.isEmpty() ? null : t;
    }

    private static int port(UnaryOperator<String> properties, String name, int otherwise) {
        String value = trimmed(properties.apply(name));
        if (value == null) {
            return otherwise;
        }
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(
                "system property " + name + " must be a port number between 1 and 65535, got '" + value + "'");
    }

    /** Whether {@code host} matches one of the {@code |} separated patterns of {@code patterns}. */
    static boolean exempt(String host, String patterns) {
        if (patterns == null || patterns.isBlank()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String raw : patterns.split(Pattern.quote("|"))) {
            String p = raw.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("[") && p.endsWith("]")) {
                p = p.substring(1, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            boolean leading = p.startsWith("*");
            boolean trailing = p.endsWith("*") && p.length() > 1;
            String core = p.substring(leading ? 1 : 0, p.length() - (trailing ? 1 : 0));
            boolean matches;
            if (leading && trailing) {
                matches = h.contains(core);
            } else if (leading) {
                matches = h.endsWith(core);
            } else if (trailing) {
                matches = h.startsWith(core);
            } else {
                matches = h.equals(core);
            }
            if (matches) {
                return true;
            }
        }
        return false;
    }

    /** HTTP or SOCKS5. */
    public Type type() {
        return type;
    }

    /** The proxy's host name or address literal; looked up here (off the event loop) at each connect. */
    public String host() {
        return host;
    }

    /** The proxy's port. */
    public int port() {
        return port;
    }

    /** The user name sent to the proxy, if any. */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** Whether a user name and password are sent to the proxy. */
    public boolean hasCredentials() {
        return username != null;
    }

    /** The password sent with {@link #username()}; package-private so that it is not handed around. */
    String password() {
        return password;
    }

    /** The proxy as people write it, for messages: {@code HTTP proxy host:port} or {@code SOCKS5 proxy host:port}. */
    String describe() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (type == Type.HTTP ? "HTTP" : "SOCKS5") + " proxy " + h + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyOptions other
                && type == other.type
                && port == other.port
                && host.equals(other.host)
                && Objects.equals(username, other.username)
                && Objects.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, host, port, username);
    }

    /** The type, host, port and user name; never the password. */
    @Override
    public String toString() {
        return "ProxyOptions{" + type + " " + host + ":" + port + (username != null ? ", user " + username : "") + "}";
    }

    /** Builds {@link ProxyOptions}. Not thread-safe. */
    public static final class Builder {
        private final Type type;
        private final String host;
        private final int port;
        private String username;
        private String password;

        private Builder(Type type, String host, int port) {
            this.type = Objects.requireNonNull(type, "type");
            Objects.requireNonNull(host, "host");
            String h = host.trim();
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.isEmpty()) {
                throw new IllegalArgumentException("the proxy's host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the proxy's port must be between 1 and 65535, got " + port);
            }
            this.host = h;
            this.port = port;
        }

        /**
         * Authenticates to the proxy with this user name and password: basic authentication
         * ({@code Proxy-Authorization}) for an HTTP proxy, user name and password authentication for a SOCKS5 proxy.
         *
         * @throws IllegalArgumentException if the user name is empty, or has a {@code :} for an HTTP proxy, or either
         *     is longer than the 255 bytes SOCKS5 allows
         */
        public Builder credentials(String username, String password) {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isEmpty()) {
                throw new IllegalArgumentException("the proxy user name must not be empty");
            }
            if (type == Type.HTTP && username.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "an HTTP proxy user name cannot contain ':' (basic authentication separates it from the"
                                + " password with one)");
            }
            if (type == Type.SOCKS5) {
                if (username.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("a SOCKS5 user name is at most 255 bytes");
                }
                if (password.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("a SOCKS5 password is at most 255 bytes");
                }
            }
            this.username = username;
            this.password = password;
            return this;
        }

        /** Builds the immutable options. */
        public ProxyOptions build() {
            return new ProxyOptions(this);
        }
    }
}
