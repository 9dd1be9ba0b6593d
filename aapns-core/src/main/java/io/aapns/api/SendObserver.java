package io.aapns.api;

import io.aapns.model.PushType;
import java.time.Duration;

/**
 * Observes each notification a client sends, from the call to its end, for tracing: it is told of the start on the
 * sending thread (so that a tracer sees the caller's current span as the parent), then of each re-send and of the end,
 * on the client's threads. Set with {@link ApnsClient.Builder#sendObserver}. Unlike {@code ApnsListener}, which counts
 * events, an observer carries one object per notification from start to end. Without one, sends pay nothing.
 *
 * <p>Methods must be quick and must not block; one that throws is logged and the notification goes on unobserved.
 */
public interface SendObserver {

    /** Observes nothing. */
    SendObserver NONE = send -> null;

    /**
     * A notification is about to be handed over (after validation). Returns the observation of this send, or
     * {@code null} not to observe it.
     */
    ObservedSend started(Started send);

    /**
     * What is known when a send starts.
     *
     * @param operation {@code send} for a notification to a device, {@code broadcast} for one to a channel
     * @param apnsId the notification's {@code apns-id} (a broadcast's {@code apns-request-id})
     * @param pushType its push type
     * @param topic its {@code apns-topic} (a broadcast's path, which holds the bundle id)
     */
    record Started(String operation, String apnsId, PushType pushType, String topic) {}

    /** One observed send: told of its re-sends and, exactly once, of its end. */
    interface ObservedSend {

        /**
         * Attempt {@code attempt} ended without the final answer for {@code reason}; the next goes after {@code delay}.
         */
        default void retried(int attempt, String reason, Duration delay) {}

        /** The send ended: with APNs' answer ({@code result}), or without one ({@code failure}). */
        void ended(PushResult result, Throwable failure);
    }
}
