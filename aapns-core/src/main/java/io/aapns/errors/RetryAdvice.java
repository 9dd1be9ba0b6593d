package io.aapns.errors;

/**
 * What Apple advises a sender to do after a rejection: whether the same notification may be sent again, and under what
 * condition.
 *
 * <p>Advice, not policy: the pool decides, within the request's deadline, whether it follows it.
 */
public enum RetryAdvice {

    /** Do not send it again: the request, the device token or the credentials are wrong. */
    NEVER(false),

    /** May be sent again after a delay that grows with each attempt (429, 500, 503). */
    AFTER_BACKOFF(true),

    /** May be sent again once, on the same connection, after minting a new provider token. */
    AFTER_NEW_TOKEN(true),

    /** May be sent again, on another connection: this one is going away or was idle too long. */
    ON_ANOTHER_CONNECTION(true);

    private final boolean retryable;

    RetryAdvice(boolean retryable) {
        this.retryable = retryable;
    }

    /** Returns true unless this is {@link #NEVER}. */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * Returns the advice for a response, falling back on the HTTP status when APNs sent a reason that this version of
     * aapns does not know: 429 and 5xx may be retried with back-off, anything else may not.
     *
     * @param reason the parsed reason, {@link Reason#UNKNOWN} if unknown or absent
     * @param status the response's HTTP status
     */
    public static RetryAdvice forResponse(Reason reason, int status) {
        if (reason != null && reason != Reason.UNKNOWN) {
            return reason.retryAdvice();
        }
        if (status == 429 || (status >= 500 && status <= 599)) {
            return AFTER_BACKOFF;
        }
        return NEVER;
    }
}
