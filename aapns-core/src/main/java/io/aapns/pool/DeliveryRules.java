package io.aapns.pool;

import io.aapns.connection.Response;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.Reason;
import io.aapns.errors.RequestTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * The delivery table of the design as one function: given what an attempt's end was (an answer or a failure) and what
 * the request has been through, {@link #decide} says whether the pool completes it, sends it again (now or after a
 * back-off), or fails it. Nothing else in the pool decides about re-sending; {@code DeliveryRulesTest} walks every row.
 *
 * <p>The rows, in order:
 *
 * <ul>
 *   <li>an answer 403 ExpiredProviderToken, the first time: re-send now (the connection has dropped the token; the next
 *       attempt carries a new one);
 *   <li>an answer 429 TooManyProviderTokenUpdates: complete with it (sending it again with the same token is refused
 *       again);
 *   <li>an answer the {@link RetryPolicy} re-sends (429, 500, 503): re-send after a back-off if that ends before the
 *       deadline, else complete with it;
 *   <li>any other answer: complete with it (a rejection is a value, never re-sent);
 *   <li>a failure once the pool is closed: fail, not accepted;
 *   <li>no free stream after all ({@link BlockedException}): re-send after a back-off;
 *   <li>the request's deadline passed: fail with {@link RequestTimeoutException};
 *   <li>the request was not taken by a connection that drains after a GOAWAY owning up to earlier streams (above its
 *       last stream, or posted as the GOAWAY came): re-send at once, however often it happens, since that is the
 *       routine end of a connection that served (a server that closes connections every thousand requests, say);
 *   <li>the attempt timed out, or the stream or connection was lost otherwise, with the request not sent whole or
 *       refused ({@link ClosedException#safeToRetry()}): re-send, at once the first time and after growing back-offs
 *       when it repeats;
 *   <li>the attempt timed out or was lost after the request went out whole: re-send at once as a possible duplicate
 *       while fewer than {@code maxUnsafeRetries} such re-sends were made, else fail saying it may have been delivered;
 *   <li>anything else (a request that cannot be encoded, a failing token source): fail with it.
 * </ul>
 */
final class DeliveryRules {

    /** What the pool does next with a request. */
    enum Action {
        /** Hand the answer to the caller. */
        COMPLETE,
        /** Send it again after {@link Decision#delayNanos()} (0: now). */
        RESEND,
        /** Fail it with {@link Decision#failure()}. */
        FAIL,
        /** Fail it because its deadline passed (the pool says how many attempts were made). */
        FAIL_TIMEOUT,
        /** Fail it because the pool is closed. */
        FAIL_CLOSED
    }

    /** Which of the request's counters a re-send adds to. */
    enum Counter {
        NONE,
        TOKEN,
        STATUS,
        BLOCKED,
        SAFE_LOSS,
        UNSAFE
    }

    /**
     * The decision: what to do, after how long, why (a bounded key for stats and listeners), which counter it adds to,
     * and the failure to report.
     */
    record Decision(Action action, long delayNanos, String reason, Counter counter, Throwable failure) {
        boolean possibleDuplicate() {
            return counter == Counter.UNSAFE;
        }
    }

    /** What the rules read of a request's history. */
    interface History {
        int statusRetries();

        int safeLosses();

        int unsafeRetries();

        boolean tokenRenewed();

        long deadlineNanos();
    }

    static final Decision COMPLETE = new Decision(Action.COMPLETE, 0, null, Counter.NONE, null);
    private static final Decision CLOSED = new Decision(Action.FAIL_CLOSED, 0, "closed", Counter.NONE, null);

    private final RetryPolicy policy;
    private final int maxUnsafeRetries;

    DeliveryRules(RetryPolicy policy, int maxUnsafeRetries) {
        this.policy = policy;
        this.maxUnsafeRetries = maxUnsafeRetries;
    }

    /**
     * Decides what follows an attempt that ended with {@code response} (and a null failure) or with {@code failure}.
     *
     * @param drained whether the attempt's connection drains after a GOAWAY that owned up to earlier streams (it
     *     served)
     * @param poolOpen whether the pool still sends (false once it is closed)
     */
    Decision decide(History h, Response response, Throwable failure, boolean drained, boolean poolOpen, long nowNanos) {
        if (failure == null) {
            return answered(h, response, poolOpen, nowNanos);
        }
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (!poolOpen) {
            return CLOSED;
        }
        if (cause instanceof BlockedException) {
            return resendAfter(h, policy.backoffNanos(1), "blocked", Counter.BLOCKED, cause, nowNanos);
        }
        boolean timedOut = cause instanceof RequestTimeoutException;
        if (timedOut && nowNanos - h.deadlineNanos() >= 0) {
            return new Decision(Action.FAIL_TIMEOUT, 0, "deadline", Counter.NONE, cause);
        }
        if (timedOut || cause instanceof ClosedException) {
            boolean safe =
                    timedOut ? !((RequestTimeoutException) cause).written() : ((ClosedException) cause).safeToRetry();
            String reason = timedOut ? "attempt-timeout" : safe ? "unprocessed" : "connection-lost";
            if (safe && drained && !timedOut) {
                // Not taken by a connection that served and now drains: no fault to back off from.
                return resendAfter(h, 0, reason, Counter.NONE, cause, nowNanos);
            }
            if (safe) {
                // The first re-send goes at once (another connection usually takes it); when the
                // same request is lost again and again, re-sends back off so that a failure that
                // repeats (a server resetting every stream, say) does not become a storm.
                int lost = h.safeLosses() + 1;
                long delay = lost == 1 ? 0 : policy.backoffNanos(lost - 1);
                return resendAfter(h, delay, reason, Counter.SAFE_LOSS, cause, nowNanos);
            }
            if (h.unsafeRetries() < maxUnsafeRetries) {
                return new Decision(Action.RESEND, 0, reason, Counter.UNSAFE, cause);
            }
            return new Decision(
                    Action.FAIL,
                    0,
                    reason,
                    Counter.NONE,
                    new ClosedException(
                            "the request may have been "
                                    + "delivered: " + cause.getMessage() + "; not sent again after " + h.unsafeRetries()
                                    + " re-send(s) that may duplicate (PoolOptions.maxUnsafeRetries is "
                                    + maxUnsafeRetries
                                    + "); give notifications an apns-collapse-id so that a duplicate replaces the first",
                            false,
                            cause));
        }
        return new Decision(Action.FAIL, 0, "failed", Counter.NONE, cause);
    }

    private Decision answered(History h, Response response, boolean poolOpen, long nowNanos) {
        int status = response.status();
        if (status < 400 || !poolOpen) {
            return COMPLETE;
        }
        Reason reason = status == 403 || status == 429
                ? Reason.fromString(response.reason().orElse(null))
                : null;
        if (reason == Reason.EXPIRED_PROVIDER_TOKEN) {
            return h.tokenRenewed() ? COMPLETE : new Decision(Action.RESEND, 0, reason.text(), Counter.TOKEN, null);
        }
        if (reason == Reason.TOO_MANY_PROVIDER_TOKEN_UPDATES || !policy.retries(response)) {
            return COMPLETE;
        }
        long delay = policy.backoffNanos(h.statusRetries() + 1);
        if (nowNanos + delay - h.deadlineNanos() >= 0) {
            return COMPLETE; // the back-off would end past the deadline: the answer stands
        }
        return new Decision(
                Action.RESEND,
                delay,
                Reason.keyOf(response.status(), response.reason().orElse(null)),
                Counter.STATUS,
                null);
    }

    private static Decision resendAfter(
            History h, long delay, String reason, Counter counter, Throwable cause, long nowNanos) {
        if (delay > 0 && nowNanos + delay - h.deadlineNanos() >= 0) {
            return new Decision(Action.FAIL_TIMEOUT, 0, reason, Counter.NONE, cause);
        }
        return new Decision(Action.RESEND, delay, reason, counter, cause);
    }
}
