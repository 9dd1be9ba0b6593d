package io.aapns.connection;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One timer per connection instead of one per request: it fires at the earliest deadline of the requests in flight,
 * ends those whose deadline has passed, and sets itself for the next earliest. A request that ends in time costs
 * nothing here (no timer to schedule or cancel). Event loop only.
 */
final class DeadlineSweep {

    /** What the sweep needs of its connection. */
    interface Peer {
        boolean isOpen();

        /** The requests on open streams, answered or not. */
        List<Exchange> activeExchanges();

        /** {@code e}'s deadline passed without an answer. */
        void onDeadline(Exchange e);
    }

    private final Peer handler;
    /** The clock of the requests' deadlines: {@code System::nanoTime} on a connection, a MockTicker's in tests. */
    private final LongSupplier clock;

    private final Runnable task = this::sweep;
    private EventExecutor executor;
    /** Fires at {@link #atNanos}, the earliest deadline in flight when it was set. */
    private ScheduledFuture<?> timer;

    private long atNanos;

    DeadlineSweep(Peer handler, LongSupplier clock) {
        this.handler = handler;
        this.clock = clock;
    }

    /** A request with {@code deadlineNanos} went on the wire: make sure the sweep is due by then. */
    void watch(EventExecutor executor, long deadlineNanos, long nowNanos) {
        if (timer == null || deadlineNanos - atNanos < 0) {
            this.executor = executor;
            schedule(deadlineNanos, nowNanos);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void schedule(long deadlineNanos, long nowNanos) {
        stop();
        atNanos = deadlineNanos;
        timer = executor.schedule(task, Math.max(0, deadlineNanos - nowNanos), TimeUnit.NANOSECONDS);
    }

    private void sweep() {
        timer = null;
        if (!handler.isOpen()) {
            return;
        }
        long now = clock.getAsLong();
        long next = 0;
        boolean any = false;
        for (Exchange e : handler.activeExchanges()) {
            if (e.isDone()) {
                continue;
            }
            if (now - e.deadlineNanos >= 0) {
                handler.onDeadline(e);
            } else if (!any || e.deadlineNanos - next < 0) {
                next = e.deadlineNanos;
                any = true;
            }
        }
        if (any && timer == null) {
            schedule(next, now);
        }
    }
}
