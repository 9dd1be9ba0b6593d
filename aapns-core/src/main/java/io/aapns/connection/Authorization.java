package io.aapns.connection;

/**
 * The {@code authorization} header of one connection's requests, for APNs token authentication: APNs wants one provider
 * token per connection, renewed on that connection's own schedule. A connection asks its
 * {@link ConnectionOptions.Builder#authorization factory} for one instance when it opens and calls it on its event
 * loop, so implementations need no locking of their own unless they share state across connections.
 */
public interface Authorization {

    /**
     * The header value for the request about to be written, or {@code null} to send none. It replaces an
     * {@code authorization} header the request carries. Return an immutable value (a {@code String} or
     * {@code AsciiString}) and the same instance while the token stays the same: the connection converts a value to
     * bytes once and reuses them while it gets the same instance back.
     */
    CharSequence headerValue();

    /**
     * APNs answered 403 ExpiredProviderToken to a request that carried {@code headerValue}: the next
     * {@link #headerValue()} should be a new token.
     */
    void expired(CharSequence headerValue);

    /**
     * Tells whether {@code headerValue}, the value a request carried, is still the one requests get now, so that a pool
     * can decide on a re-send: after 403 ExpiredProviderToken only a request whose value is no longer current goes out
     * again (with the new token), and after 429 TooManyProviderTokenUpdates a request whose value is still current
     * would carry the same rejected token. Must not mint a token; may be called from any thread.
     *
     * <p>The default answers false: an implementation that does not say is taken to have moved on, which is what a pool
     * assumed before this method existed. Implementations that rotate values should override it.
     */
    default boolean isCurrent(CharSequence headerValue) {
        return false;
    }
}
