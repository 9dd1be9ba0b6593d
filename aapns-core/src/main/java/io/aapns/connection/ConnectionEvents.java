package io.aapns.connection;

/**
 * What a connection tells the one that holds it, such as a pool: that the server sent GOAWAY, and that it can take more
 * requests than before (the server raised its stream limit, or the connection answered the PING that followed an
 * unanswered request). Set with {@link ConnectionOptions.Builder#events}. Unlike {@link ConnectionListener}, which is
 * for observers (metrics, logs), these events drive the holder's decisions.
 *
 * <p>Called on the connection's event loop: implementations must be quick and must not block. Every method has an empty
 * default.
 */
public interface ConnectionEvents {

    /** Ignores every event. */
    ConnectionEvents NONE = new ConnectionEvents() {};

    /**
     * The server sent GOAWAY: requests on streams above {@code lastStreamId} fail as unprocessed, the others may still
     * be answered, and the connection takes no new requests. Also called for a GOAWAY that refuses a connection while
     * it opens (then {@code connection} never became ready).
     *
     * @param reason the {@code reason} of the GOAWAY's JSON debug data (such as {@code BadCertificate}), its text when
     *     it is not JSON, or null when it carries none
     */
    default void goAwayReceived(Connection connection, int lastStreamId, String reason) {}

    /**
     * The connection can take more requests than before: the server's SETTINGS raised MAX_CONCURRENT_STREAMS, or the
     * connection acknowledged the PING that followed an unanswered request and is usable again.
     */
    default void capacityIncreased(Connection connection) {}
}
