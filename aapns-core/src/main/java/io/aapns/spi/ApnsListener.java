package io.aapns.spi;

import io.aapns.connection.Connection;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import java.net.URI;
import java.time.Duration;

/**
 * Receives events from connections (and, later, pools and clients) for metrics and logging. Every method has a no-op
 * default, so an implementation overrides only what it needs.
 *
 * <p>Methods are called on a connection's event loop: they must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored.
 */
public interface ApnsListener {

    /** A listener that ignores every event. */
    ApnsListener NONE = new ApnsListener() {};

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
     * True for every listener except {@link #NONE}; a listener that only counts connection events may return false.
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

    /**
     * A request will be sent again after {@code delay} (emitted by pools): {@code attempt} is the number of the attempt
     * that failed, starting at 1; {@code reason} names why, as {@code PoolStats.retried()} counts it
     * ({@code unprocessed}, {@code connection-lost}, an APNs reason such as {@code ServiceUnavailable}, or
     * {@code status-<code>}); {@code cause} is the failure or a description of the answer.
     */
    default void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {}

    /**
     * A request handed to a pool ended, after all its attempts (emitted by pools): with APNs' final answer
     * ({@code response}, any status), or failed without one ({@code cause}: deadline passed, pool full or closed).
     * Exactly one of the two is non-null. {@code elapsedNanos} runs from {@code post} to the end; this is the event to
     * count notifications by.
     */
    default void requestCompleted(
            Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {}
}
