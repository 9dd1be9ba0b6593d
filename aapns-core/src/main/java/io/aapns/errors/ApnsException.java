package io.aapns.errors;

/**
 * The base of every exception aapns throws on purpose: a push that could not be delivered, a connection that could not
 * be opened or was lost, or a rejection when the caller asked to be told by an exception.
 *
 * <p>Unchecked, because callers of an asynchronous API meet it inside a
 * {@link java.util.concurrent.CompletionException} or as a future's cause anyway.
 */
public class ApnsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what went wrong. */
    public ApnsException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public ApnsException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the notification may have reached the device although this exception says it failed: a request the server
     * may have processed without answering (lost with its connection after it went out whole, or unanswered within its
     * time). Sending it again may deliver a duplicate; an {@code apns-collapse-id} makes a duplicate replace the first.
     * False unless a subclass knows otherwise: the request was never sent, or was answered.
     */
    public boolean possiblyDelivered() {
        return false;
    }
}
