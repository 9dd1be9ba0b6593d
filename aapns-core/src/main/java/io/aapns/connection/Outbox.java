package io.aapns.connection;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hand-over of requests from any thread to the connection's event loop: a lock-free queue and at most one drain
 * task scheduled at a time, so that a burst of posts costs one task and one flush.
 */
final class Outbox {
    private final Queue<Exchange> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain;

    /** {@code drain} runs on the event loop, calls {@link #draining()} first and then polls. */
    Outbox(Runnable drain) {
        this.drain = drain;
    }

    /** Adds {@code e} and makes sure a drain is due on {@code loop}; false if the loop is gone. */
    boolean offer(Exchange e, Executor loop) {
        queue.offer(e);
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException stopped) {
                scheduled.set(false);
                return false;
            }
        }
        return true;
    }

    /** A drain starts: later offers schedule the next one. */
    void draining() {
        scheduled.set(false);
    }

    Exchange poll() {
        return queue.poll();
    }
}
