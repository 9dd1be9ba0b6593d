package io.aapns.errors;

/**
 * A connection could not be opened. {@link #kind()} tells the stages apart: the TCP connect timed out or failed, the
 * TLS handshake failed (a certificate problem, which retrying will not fix), the handshake or the server's first
 * SETTINGS frame did not come in time, or the server does not speak HTTP/2. Through a proxy, the proxy may also have
 * refused the credentials or the tunnel; a proxy that cannot be reached, does not answer in time, or cannot reach APNs
 * is a {@code CONNECT_FAILED} or {@code CONNECT_TIMEOUT} whose message names the proxy.
 */
public final class ConnectFailedException extends ApnsException {
    private static final long serialVersionUID = 1L;

    /** The stage at which opening the connection failed. */
    public enum Kind {
        /** The TCP connection was not established within the connect timeout. */
        CONNECT_TIMEOUT,
        /** The TCP connection failed: refused, unreachable, unknown host, or closed early. */
        CONNECT_FAILED,
        /** The TLS handshake failed: untrusted or rejected certificate, protocol mismatch. */
        TLS_FAILED,
        /** TLS plus the server's first SETTINGS frame did not complete within the handshake timeout. */
        HANDSHAKE_TIMEOUT,
        /** The server did not negotiate HTTP/2 with ALPN, or broke the HTTP/2 protocol at start. */
        PROTOCOL,
        /** The server refused the connection at start with a GOAWAY. */
        REJECTED,
        /**
         * The proxy refused the credentials: an HTTP proxy answered {@code 407 Proxy Authentication Required}, or a
         * SOCKS5 proxy refused the user name and password or wants authentication that was not given.
         */
        PROXY_AUTH_FAILED,
        /**
         * The proxy refused to open a tunnel to APNs: an HTTP proxy answered the {@code CONNECT} with a 4xx status (not
         * 407, 408 or 429), or a SOCKS5 proxy replied "not allowed by ruleset", "command not supported" or "address
         * type not supported".
         */
        PROXY_REFUSED
    }

    private final Kind kind;

    /** Creates the exception for the given stage and cause (which may be {@code null}). */
    public ConnectFailedException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The stage at which opening the connection failed. */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether trying again later may succeed. TLS failures, protocol failures and a proxy's refusal are configuration
     * problems (certificate, environment, endpoint, proxy credentials or rules) and are not retryable.
     */
    public boolean retryable() {
        return kind != Kind.TLS_FAILED
                && kind != Kind.PROTOCOL
                && kind != Kind.REJECTED
                && kind != Kind.PROXY_AUTH_FAILED
                && kind != Kind.PROXY_REFUSED;
    }

    /**
     * Whether the failure says the configuration is wrong, so that a client should not start: the server does not speak
     * HTTP/2, the TLS handshake failed over a certificate (ours rejected, or the server's not trusted), or the proxy
     * refused the credentials or the tunnel. A refused, reset or timed-out connection is not: it may pass; nor is a
     * proxy that cannot be reached or cannot reach APNs.
     */
    public boolean isConfigurationProblem() {
        return kind == Kind.PROTOCOL
                || kind == Kind.PROXY_AUTH_FAILED
                || kind == Kind.PROXY_REFUSED
                || (kind == Kind.TLS_FAILED && saysCertificate(this));
    }

    /** Words of TLS alerts and JDK messages that mean a certificate was refused or not trusted. */
    private static final String[] CERTIFICATE_WORDS = {
        "bad_certificate",
        "certificate_unknown",
        "unknown_ca",
        "certificate_expired",
        "certificate_revoked",
        "unsupported_certificate",
        "certificate_required",
        "access_denied",
        "pkix path",
        "unable to find valid certification path",
        "no trusted certificate",
        "no subject alternative",
        "no name matching",
        "certificate verify",
        "bad certificate"
    };

    private static boolean saysCertificate(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
            if (c instanceof java.security.cert.CertificateException) {
                return true;
            }
            String message = c.getMessage();
            if (message != null) {
                String lower = message.toLowerCase(java.util.Locale.ROOT);
                for (String word : CERTIFICATE_WORDS) {
                    if (lower.contains(word)) {
                        return true;
                    }
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
