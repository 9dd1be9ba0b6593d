package io.aapns.errors;

/**
 * The request's deadline passed before the server answered. If the request had been written, its stream was reset with
 * {@code CANCEL}; the connection itself stays usable. The server may or may not have processed the request.
 */
public final class RequestTimeoutException extends ApnsException {
    private static final long serialVersionUID = 1L;

    private final boolean written;
    private final boolean possiblyDelivered;

    /**
     * Creates the exception; {@code written} tells whether any of the request left the client (and so whether it may
     * have been delivered).
     */
    public RequestTimeoutException(String message, boolean written) {
        this(message, written, written);
    }

    /**
     * Creates the exception; {@code written} tells whether any attempt was handed to a server,
     * {@code possiblyDelivered} whether one may have been processed without an answer (a pool knows when every attempt
     * was refused unprocessed).
     */
    public RequestTimeoutException(String message, boolean written, boolean possiblyDelivered) {
        super(message);
        this.written = written;
        this.possiblyDelivered = possiblyDelivered;
    }

    /**
     * Whether the request had been handed to the server before the deadline passed. When {@code false} the server never
     * saw it.
     */
    public boolean written() {
        return written;
    }

    @Override
    public boolean possiblyDelivered() {
        return possiblyDelivered;
    }
}
