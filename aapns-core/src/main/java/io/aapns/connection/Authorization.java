package io.aapns.connection;

/**
 * The {@code authorization} header of one connection's requests, for APNs token authentication:
 * APNs wants one provider token per connection, renewed on that connection's own schedule. A
 * connection asks its {@link ConnectionOptions.Builder#authorization factory} for one instance
 * when it opens and calls it on its event loop, so implementations need no locking of their own
 * unless they share state across connections.
 */
public interface Authorization {

    /** The header value for the request about to be written, or {@code null} to send none. */
    CharSequence headerValue();

    /**
     * APNs answered 403 ExpiredProviderToken to a request that carried {@code headerValue}: the
     * next {@link #headerValue()} should be a new token.
     */
    void expired(CharSequence headerValue);
}
