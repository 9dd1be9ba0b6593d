package io.aapns.errors;

/**
 * The request's deadline passed before the server answered. If the request had been written, its
 * stream was reset with {@code CANCEL}; the connection itself stays usable. The server may or may
 * not have processed the request.
 */
public final class RequestTimeoutException extends ApnsException {
    private static final long serialVersionUID = 1L;

    private final boolean written;

    /** Creates the exception; {@code written} tells whether any of the request left the client. */
    public RequestTimeoutException(String message, boolean written) {
        super(message);
        this.written = written;
    }

    /**
     * Whether the request had been handed to the server before the deadline passed. When
     * {@code false} the server never saw it.
     */
    public boolean written() {
        return written;
    }
}
