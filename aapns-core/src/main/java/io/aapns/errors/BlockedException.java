package io.aapns.errors;

/**
 * A request was not sent because the connection had no free stream: the number of requests in flight had reached the
 * server's current {@code SETTINGS_MAX_CONCURRENT_STREAMS}. Nothing was written, so the request may be posted again, on
 * this connection once a stream frees, or on another connection.
 */
public final class BlockedException extends ApnsException {
    private static final long serialVersionUID = 1L;

    private final long maxConcurrentStreams;

    /** Creates the exception for a connection whose server allows {@code maxConcurrentStreams}. */
    public BlockedException(long maxConcurrentStreams) {
        super("no free stream: the server allows " + maxConcurrentStreams + " concurrent streams and all are in use");
        this.maxConcurrentStreams = maxConcurrentStreams;
    }

    /** Creates the exception with its own message, for example a pool whose queue of waiting requests is full. */
    public BlockedException(String message, long maxConcurrentStreams) {
        super(message);
        this.maxConcurrentStreams = maxConcurrentStreams;
    }

    /** The server's stream limit when the request was refused. */
    public long maxConcurrentStreams() {
        return maxConcurrentStreams;
    }
}
