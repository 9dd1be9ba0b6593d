package io.aapns.channels;

/**
 * Observes each channel management operation from the call to its end, for tracing, as
 * {@link io.aapns.api.SendObserver} does for notifications: it is told of the start on the calling thread (so that a
 * tracer sees the caller's current span as the parent), then of each re-send and of the end, on the pool's threads. Set
 * with {@link ApnsChannels.Builder#observer}. Without one, operations pay nothing.
 *
 * <p>Methods must be quick and must not block; one that throws is logged and the operation goes on unobserved.
 */
public interface ChannelObserver {

    /** Observes nothing. */
    ChannelObserver NONE = operation -> null;

    /** An operation is about to be sent. Returns its observation, or {@code null} not to observe it. */
    ObservedOperation started(Started operation);

    /**
     * What is known when an operation starts.
     *
     * @param operation create, read, list or delete
     * @param requestId its {@code apns-request-id}
     * @param bundleId the app the channels belong to
     */
    record Started(ChannelOperation operation, String requestId, String bundleId) {}

    /** One observed operation: told of its re-sends and, exactly once, of its end. */
    interface ObservedOperation {

        /** The operation is sent again after its answer was lost ({@code reason}); reads, lists and deletes only. */
        default void retried(int resend, String reason) {}

        /**
         * The operation ended: with success ({@code failure} null), a rejection ({@link ChannelRejectedException}), or
         * another failure.
         */
        void ended(Throwable failure);
    }
}
