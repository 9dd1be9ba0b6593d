package io.aapns.connection;

/**
 * The {@code authorization} header of one connection's requests, for APNs token authentication:
 * APNs wants one provider token per connection, renewed on that connection's own schedule. A
 * connection asks its {@link ConnectionOptions.Builder#authorization factory} for one instance
 * when it opens and calls it on its event loop, so implementations need no locking of their own
 * unless they share state across connections.
 */
public interface Authorization {

    /**
     * The header value for the request about to be written, or {@code null} to send none. It
     * replaces an {@code authorization} header the request carries. Return an immutable value
     * (a {@code String} or {@code AsciiString}) and the same instance while the token stays the
     * same: the connection converts a value to bytes once and reuses them while it gets the same
     * instance back.
     */
    CharSequence headerValue();

    /**
     * APNs answered 403 ExpiredProviderToken to a request that carried {@code headerValue}: the
     * next {@link #headerValue()} should be a new token.
     */
    void expired(CharSequence headerValue);
}
