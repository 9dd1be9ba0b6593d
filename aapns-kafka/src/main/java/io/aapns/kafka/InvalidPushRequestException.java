package io.aapns.kafka;

/**
 * A record on the requests topic that is not a push request the worker can send: not JSON, an unknown version, a
 * missing or mistyped field, or a request that fails the client's checks (token, payload size, topic, priority). The
 * message says what is wrong and where; the worker sends such records to the dead-letter topic.
 */
public class InvalidPushRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what to fix. */
    public InvalidPushRequestException(String message) {
        super(message);
    }

    /** Creates the exception with a message that says what to fix, and its cause. */
    public InvalidPushRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
