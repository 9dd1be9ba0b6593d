package io.aapns.connection;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps one connection honest with PINGs: after {@code pingInterval} without a frame from the server it sends a PING;
 * when a request went unanswered for its whole attempt it sends one at once and marks the connection unresponsive until
 * the acknowledgement comes. A PING not acknowledged within {@code pingTimeout} declares the connection dead. Time is
 * the event loop's {@link io.netty.util.concurrent.Ticker}. Event loop only, except {@link #unresponsive} and
 * {@link #acknowledged}, which are read anywhere.
 */
final class KeepAlive {

    /** What keep-alive needs of its connection. */
    interface Peer {
        boolean isOpen();

        void writePing(long data);

        void onPingTimeout(long timeoutNanos);
    }

    private final Peer handler;
    private final long intervalNanos;
    private final long timeoutNanos;
    private EventExecutor executor;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> timeout;
    private long lastReadNanos;
    private long pingData;
    private boolean outstanding;

    /** A PING sent because a request went unanswered is still unacknowledged: take no new requests. */
    volatile boolean unresponsive;
    /** PINGs the server acknowledged. */
    volatile long acknowledged;

    KeepAlive(Peer handler, long intervalNanos, long timeoutNanos) {
        this.handler = handler;
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    /** The connection is ready: start counting idle time. */
    void start(EventExecutor executor) {
        this.executor = executor;
        lastReadNanos = executor.ticker().nanoTime();
        if (intervalNanos > 0) {
            schedule(intervalNanos);
        }
    }

    /** Something arrived from the server. */
    void onRead() {
        if (executor != null) {
            lastReadNanos = executor.ticker().nanoTime();
        }
    }

    /**
     * A request got no answer within its attempt: PING now (unless one is out already) and take no new requests until
     * it is acknowledged.
     */
    void pingNow() {
        if (executor == null) {
            return;
        }
        unresponsive = true;
        if (!outstanding) {
            ping();
        }
    }

    /** A PING acknowledgement arrived; returns whether it made an unresponsive connection usable again. */
    boolean onAck(long data) {
        if (!outstanding || data != pingData) {
            return false;
        }
        outstanding = false;
        acknowledged++;
        cancel(timeout);
        timeout = null;
        boolean wasUnresponsive = unresponsive;
        unresponsive = false;
        return wasUnresponsive;
    }

    void stop() {
        cancel(tick);
        cancel(timeout);
    }

    private void schedule(long delayNanos) {
        tick = executor.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        if (!handler.isOpen()) {
            return;
        }
        long idle = executor.ticker().nanoTime() - lastReadNanos;
        if (idle < intervalNanos) {
            schedule(intervalNanos - idle);
            return;
        }
        if (!outstanding) {
            ping();
        }
        schedule(intervalNanos);
    }

    private void ping() {
        outstanding = true;
        pingData = executor.ticker().nanoTime();
        handler.writePing(pingData);
        timeout = executor.schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void timedOut() {
        if (outstanding && handler.isOpen()) {
            handler.onPingTimeout(timeoutNanos);
        }
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
