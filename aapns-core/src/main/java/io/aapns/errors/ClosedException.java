package io.aapns.errors;

/**
 * The connection is, or became, unusable for this request: closed by the client, closed or reset by the server, cut by
 * the network, or out of stream ids.
 *
 * <p>{@link #safeToRetry()} tells whether the server can have processed the request. It is {@code true} only when it
 * certainly did not: the request was never written, its stream id was above the last-stream-id of the server's GOAWAY,
 * the server refused the stream ({@code REFUSED_STREAM}), or the connection ran out of stream ids. When it is
 * {@code false} the request may or may not have reached the device; sending it again may deliver a duplicate.
 */
public final class ClosedException extends ApnsException {
    private static final long serialVersionUID = 1L;

    private final boolean safeToRetry;

    /** Creates the exception; see {@link #safeToRetry()}. */
    public ClosedException(String message, boolean safeToRetry) {
        super(message);
        this.safeToRetry = safeToRetry;
    }

    /** Creates the exception with the cause it wraps; see {@link #safeToRetry()}. */
    public ClosedException(String message, boolean safeToRetry, Throwable cause) {
        super(message, cause);
        this.safeToRetry = safeToRetry;
    }

    /**
     * Whether the server certainly did not process the request, so that sending it again cannot produce a duplicate
     * notification.
     */
    public boolean safeToRetry() {
        return safeToRetry;
    }

    /** The opposite of {@link #safeToRetry()}: the server may have processed the request. */
    @Override
    public boolean possiblyDelivered() {
        return !safeToRetry;
    }
}
