package io.aapns.connection;

import java.net.URI;

/**
 * Observes one connection's life and the requests it carries, for metrics and logging. Every method has a no-op
 * default, so an implementation overrides only what it needs. Set with {@link ConnectionOptions.Builder#listener}.
 *
 * <p>{@code io.aapns.spi.ApnsListener} extends this with the pool's events (re-sends, the end of a request after all
 * its attempts); that is the listener most code implements. This interface lives beside {@link Connection} so that the
 * connection package depends on nothing above it.
 *
 * <p>Methods are called on the connection's event loop: they must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored. Unlike {@link ConnectionEvents}, which the pool uses to manage its
 * connections, a listener only watches.
 */
public interface ConnectionListener {

    /** A listener that ignores every event. */
    ConnectionListener NONE = new ConnectionListener() {};

    /** A connection finished TLS and received the server's first SETTINGS: it is ready. */
    default void connectionOpened(Connection connection) {}

    /** A connection could not be opened; {@code cause} is usually a {@code ConnectFailedException}. */
    default void connectionFailed(URI origin, Throwable cause) {}

    /**
     * A connection that had been opened is now closed. {@code cause} is {@code null} when the client closed it on
     * purpose.
     */
    default void connectionClosed(Connection connection, Throwable cause) {}

    /**
     * The server sent GOAWAY: the connection takes no new requests and closes once the streams at or below
     * {@code lastStreamId} are answered. {@code reason} is the APNs reason in the frame's debug data (for example
     * {@code BadCertificateEnvironment}), or {@code null}.
     */
    default void goAwayReceived(Connection connection, int lastStreamId, String reason) {}

    /**
     * Whether this listener wants the per-request events ({@link #requestSent}, {@link #requestAnswered},
     * {@link #requestFailed}). When it does not, connections skip them and allocate nothing for them on the hot path.
     * True for every listener except the {@code NONE} ones; a listener that only counts connection events may return
     * false.
     */
    default boolean wantsRequestEvents() {
        return this != NONE;
    }

    /** A request was handed to the server on a new stream. */
    default void requestSent(Connection connection, Request request) {}

    /**
     * The server answered a request (any status). {@code elapsedNanos} runs from {@code post} to the end of the answer.
     */
    default void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {}

    /** A request failed without an answer: blocked, closed, or past its deadline. */
    default void requestFailed(Connection connection, Request request, Throwable cause, long elapsedNanos) {}
}
