package io.aapns.pool;

import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.spi.ApnsListener;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.LoggerFactory;

/**
 * One request handed to a pool, across all its attempts, until it ends. It is also the callback of its current attempt
 * on a connection, so an attempt costs no future and no lambda.
 */
final class PendingRequest implements BiConsumer<Response, Throwable>, DeliveryRules.History {

    /** Neither queued nor sleeping: being dispatched, or on the wire. */
    static final int ACTIVE = 0;
    /** In the pool's queue, waiting for a free stream. */
    static final int QUEUED = 1;
    /** Waiting for a back-off to end before the next attempt. */
    static final int SLEEPING = 2;
    /** Ended: the caller's future is complete. */
    static final int DONE = 3;

    final Request request;
    final long startNanos;
    final long deadlineNanos;
    final Pool pool;
    /** Told once, when the request ends. */
    final BiConsumer<? super Response, ? super Throwable> done;
    /** The connection of the attempt on the wire, whose stream it holds. */
    volatile Member member;

    final AtomicInteger state = new AtomicInteger(ACTIVE);
    /** Attempts written or handed to a connection. */
    volatile int attempts;
    /** Re-sends because of the answer's status, for the back-off. */
    volatile int statusRetries;
    /** Re-sends of attempts the server certainly did not process, for the back-off of repeated losses. */
    volatile int safeLosses;
    /** Re-sends of attempts the server may have processed (possible duplicates). */
    volatile int unsafeRetries;
    /** Re-sends because the connection had no free stream after all. */
    volatile int blockedRetries;
    /** Re-sent once already because the provider token had expired. */
    volatile boolean tokenRenewed;
    /** Some attempt may have reached the server without an answer: a failure may hide a delivery. */
    volatile boolean possiblyDelivered;

    volatile Throwable lastCause;
    /** The end of a back-off (while SLEEPING); queued requests have none (the pool sweeps the queue). */
    volatile ScheduledFuture<?> timer;

    PendingRequest(
            Pool pool,
            Request request,
            BiConsumer<? super Response, ? super Throwable> done,
            long startNanos,
            long deadlineNanos) {
        this.pool = pool;
        this.done = done;
        this.request = request;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** The current attempt ended: an answer from the connection, or its failure. */
    @Override
    public void accept(Response response, Throwable failure) {
        pool.attemptEnded(this, response, failure);
    }

    @Override
    public int statusRetries() {
        return statusRetries;
    }

    @Override
    public int safeLosses() {
        return safeLosses;
    }

    @Override
    public int unsafeRetries() {
        return unsafeRetries;
    }

    @Override
    public boolean tokenRenewed() {
        return tokenRenewed;
    }

    @Override
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Adds a re-send to the counter the rules named. */
    void count(DeliveryRules.Counter counter) {
        switch (counter) {
            case TOKEN -> tokenRenewed = true;
            case STATUS -> statusRetries++;
            case BLOCKED -> blockedRetries++;
            case SAFE_LOSS -> safeLosses++;
            case UNSAFE -> {
                unsafeRetries++;
                possiblyDelivered = true;
            }
            case NONE -> {}
        }
    }

    /**
     * Tells {@code listener}, and the callback if it is a {@link RetryObserver}, of a re-send after {@code delayNanos}.
     */
    void retried(ApnsListener listener, String reason, long delayNanos) {
        try {
            listener.requestRetried(request, attempts, Duration.ofNanos(delayNanos), reason, lastCause);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Pool.class).warn("ApnsListener.requestRetried threw", e);
        }
        if (done instanceof RetryObserver observer) {
            try {
                observer.retried(attempts, reason, Duration.ofNanos(delayNanos));
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(Pool.class).warn("RetryObserver.retried threw", e);
            }
        }
    }

    /** Tells {@code listener} how the request ended. */
    void completed(ApnsListener listener, Response response, Throwable cause) {
        try {
            listener.requestCompleted(request, response, cause, attempts, System.nanoTime() - startNanos);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Pool.class).warn("ApnsListener.requestCompleted threw", e);
        }
    }

    /** Marks the request ended; true for the one caller that did so. */
    boolean end() {
        return state.getAndSet(DONE) != DONE;
    }

    /** Hands the outcome to the caller; a callback that throws is logged. */
    void tell(Response response, Throwable cause) {
        try {
            done.accept(response, cause);
        } catch (Throwable e) { // as a CompletableFuture stage would: the pool's bookkeeping goes on
            LoggerFactory.getLogger(Pool.class).warn("a Pool.post callback threw; ignored", e);
        }
    }

    /**
     * The failure for a deadline that passed: how many attempts, the last cause, whether it may have been delivered.
     */
    RequestTimeoutException timedOut(long nowNanos) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos);
        Throwable last = lastCause;
        boolean maybe = possiblyDelivered || last instanceof ApnsException a && a.possiblyDelivered();
        RequestTimeoutException e = new RequestTimeoutException(
                "the request's deadline passed after " + attempts
                        + " attempt(s) in " + elapsedMs + " ms"
                        + (last != null ? "; last cause: " + last.getMessage() : "; no connection was free")
                        + (maybe ? "; it may have been delivered" : ""),
                attempts > 0,
                maybe);
        if (last != null) {
            e.initCause(last);
        }
        return e;
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
