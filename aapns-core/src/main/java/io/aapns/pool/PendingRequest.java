package io.aapns.pool;

import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One request handed to a pool, across all its attempts, until it ends. It is also the
 * callback of its current attempt on a connection, so an attempt costs no future and no lambda.
 */
final class PendingRequest implements BiConsumer<Response, Throwable> {

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
    volatile boolean possibleDuplicate;
    /** Attempts lost with a connection or a stream, for the back-off of repeated losses. */
    volatile int closedRetries;
    /** Re-sent once already because the provider token had expired. */
    volatile boolean tokenRenewed;
    volatile Throwable lastCause;
    /** The end of a back-off (while SLEEPING); queued requests have none (the pool sweeps the queue). */
    volatile ScheduledFuture<?> timer;

    PendingRequest(Pool pool, Request request, BiConsumer<? super Response, ? super Throwable> done,
                   long startNanos, long deadlineNanos) {
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
