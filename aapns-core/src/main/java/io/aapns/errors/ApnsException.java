package io.aapns.errors;

/**
 * The base of every exception this library throws or completes a future with. It is unchecked:
 * asynchronous APIs deliver it through their {@code CompletableFuture}, usually wrapped in a
 * {@link java.util.concurrent.CompletionException}.
 */
public class ApnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what went wrong. */
    public ApnsException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the cause it wraps. */
    public ApnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
