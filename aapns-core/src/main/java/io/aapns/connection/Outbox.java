package io.aapns.connection;

import io.aapns.errors.ApnsException;
import io.aapns.errors.ClosedException;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-over of requests from any thread to the connection's event loop: {@code post} makes the request's
 * {@link Exchange} and queues it on a lock-free queue; at most one drain task is scheduled at a time, and it starts
 * every queued request and flushes once, so that a burst of posts costs one task and one flush.
 */
final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final ConnectionHandler handler;
    private final Exchanges exchanges;
    private final long requestTimeoutNanos;
    private final Queue<Exchange> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    Outbox(ConnectionHandler handler, Exchanges exchanges, long requestTimeoutNanos) {
        this.handler = handler;
        this.exchanges = exchanges;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    /** Posts {@code request}; the future it returns resets the stream when cancelled. Any thread. */
    CompletableFuture<Response> post(Request request) {
        if (!handler.takesRequests()) {
            return CompletableFuture.failedFuture(handler.notAccepting());
        }
        ResponseFuture future = new ResponseFuture(handler);
        long now = System.nanoTime();
        future.exchange = post(request, future, future, now, request.deadlineNanos(now, requestTimeoutNanos));
        return future;
    }

    /** Posts {@code request} and tells {@code callback} once how it ended. Any thread. */
    void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        long now = System.nanoTime();
        post(request, now, request.deadlineNanos(now, requestTimeoutNanos), callback);
    }

    /** Posts {@code request} with the deadline {@code deadlineNanos} instead of its own. Any thread. */
    void post(Request request, long deadlineNanos, BiConsumer<? super Response, ? super Throwable> callback) {
        post(request, System.nanoTime(), deadlineNanos, callback);
    }

    private void post(
            Request request, long now, long deadlineNanos, BiConsumer<? super Response, ? super Throwable> callback) {
        if (!handler.takesRequests()) {
            Exchange.end(callback, null, handler.notAccepting());
            return;
        }
        post(request, callback, null, now, deadlineNanos);
    }

    private Exchange post(
            Request request,
            BiConsumer<? super Response, ? super Throwable> callback,
            ResponseFuture future,
            long now,
            long deadlineNanos) {
        Exchange e = new Exchange(handler, request, callback, future, now, deadlineNanos);
        if (request.payloadBuffer != null) {
            // The request does not own its buffer: take our own reference before returning.
            e.payload = request.payloadBuffer.retainedDuplicate();
        }
        queue.offer(e);
        if (scheduled.compareAndSet(false, true)) {
            try {
                handler.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException stopped) {
                scheduled.set(false);
                failAll();
            }
        }
        return e;
    }

    /** Fails everything still queued; the server never saw any of it. */
    void failAll() {
        for (Exchange e; (e = queue.poll()) != null; ) {
            exchanges.fail(e, handler.notAccepting());
        }
    }

    /** Starts every queued request, then flushes once (event loop). */
    private void drain() {
        scheduled.set(false);
        boolean wrote = false;
        for (Exchange e; (e = queue.poll()) != null; ) {
            try {
                wrote |= handler.start(e);
            } catch (RuntimeException failure) {
                // an Authorization that throws, say: this request fails, the others go on
                log.warn("could not send a request", failure);
                exchanges.fail(
                        e,
                        e.started
                                ? new ClosedException(
                                        "the request failed while being sent: " + failure.getMessage(), false, failure)
                                : new ApnsException("the request could not be sent: " + failure.getMessage(), failure));
            }
        }
        if (wrote) {
            handler.flushNow();
        }
    }
}
