package io.aapns.spi;

import io.aapns.connection.ConnectionListener;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import java.time.Duration;
import java.util.List;

/**
 * Receives events from connections and pools for metrics and logging: the connection events of
 * {@link ConnectionListener} and the pool's own (a re-send, the end of a request after all its attempts). Every method
 * has a no-op default, so an implementation overrides only what it needs. Set it with
 * {@code ApnsClient.Builder.listener}, {@code PoolOptions.Builder.listener} or
 * {@code ConnectionOptions.Builder.listener}.
 *
 * <p>Methods are called on a connection's event loop: they must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored.
 */
public interface ApnsListener extends ConnectionListener {

    /** A listener that ignores every event. */
    ApnsListener NONE = new ApnsListener() {};

    /**
     * Returns one listener that relays every event to each of {@code listeners} in order: {@link #NONE} for none, the
     * listener itself for one. A listener that throws is logged and does not keep the others from the event; the
     * composite wants per-request events when any of them does.
     */
    static ApnsListener all(List<? extends ApnsListener> listeners) {
        return CompositeListener.of(listeners);
    }

    /** True for every listener except {@link #NONE} (see {@link ConnectionListener#wantsRequestEvents()}). */
    @Override
    default boolean wantsRequestEvents() {
        return this != NONE;
    }

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
