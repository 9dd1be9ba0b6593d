package io.aapns.pool;

import io.netty.util.concurrent.EventExecutor;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The requests of a pool that wait for a free stream: a FIFO bounded by {@code maxPending} (re-sends go to the front
 * and are never refused), and one sweep that fails those whose deadline passes. Thread-safe: a request is taken out by
 * exactly one caller (a CAS on its state).
 *
 * <p>Time is the clock the requests' deadlines are on ({@code System::nanoTime} in a pool; a test's {@code MockTicker},
 * which also drives the timer executor, moves it by hand).
 *
 * <p>Queued requests have no timer each (a timer per request cost a task object and two hand-overs to the timer loop,
 * and ~5 % of the CPU in a burst). Instead one sweep walks the queue when the earliest queued deadline comes, fails
 * what has expired, and sets itself for the next earliest. {@code earliest} holds that deadline (relative to
 * {@code baseNanos}, so that Long.MAX_VALUE can mean none); whoever lowers it schedules a sweep for it, so a sweep is
 * always due no later than the earliest queued deadline (plus the slack below). A sweep carries the deadline it was set
 * for and runs only if that is still the earliest (a CAS to "none"); otherwise a sweep for a lower one was set since,
 * and walks instead. After the reset, a request queued while the sweep walks is either seen by the walk or lowers the
 * value again itself.
 */
final class PendingQueue {

    private static final long MIN_SWEEP_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Why {@link #offer} did not queue a request. */
    enum Refusal {
        NONE,
        FULL,
        STOPPED
    }

    private final int maxPending;
    private final EventExecutor timer;
    /** Told of each request whose deadline passed while queued (already taken out). */
    private final Consumer<PendingRequest> expired;

    private final ConcurrentLinkedDeque<PendingRequest> queue = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    /** The clock of the requests' deadlines: {@code System::nanoTime} in a pool, a MockTicker's in tests. */
    private final LongSupplier clock;

    private final long baseNanos;
    private final AtomicLong earliest = new AtomicLong(Long.MAX_VALUE);
    /** Walks of the queue so far (written by the timer loop only; read by tests). */
    private volatile long walks;

    PendingQueue(int maxPending, EventExecutor timer, LongSupplier clock, Consumer<PendingRequest> expired) {
        this.maxPending = maxPending;
        this.timer = timer;
        this.expired = expired;
        this.clock = clock;
        this.baseNanos = clock.getAsLong();
    }

    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long walks() {
        return walks;
    }

    /**
     * Queues {@code p}: a new request at the back, refused when {@code maxPending} are waiting; a re-send at the front,
     * always. {@link Refusal#STOPPED} when the pool's event loops are gone (then nothing could ever fail it in time).
     */
    Refusal offer(PendingRequest p, boolean resend) {
        if (!resend && size.incrementAndGet() > maxPending) {
            size.decrementAndGet();
            return Refusal.FULL;
        }
        if (resend) {
            size.incrementAndGet();
        }
        p.state.set(PendingRequest.QUEUED);
        if (resend) {
            queue.addFirst(p);
        } else {
            queue.addLast(p);
        }
        if (!awaitSweep(relative(p, clock.getAsLong()))
                && p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
            queue.remove(p);
            size.decrementAndGet();
            return Refusal.STOPPED;
        }
        return Refusal.NONE;
    }

    /** Takes the first request still waiting, or null. */
    PendingRequest poll() {
        for (PendingRequest p; (p = queue.pollFirst()) != null; ) {
            if (p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
                size.decrementAndGet();
                return p;
            }
        }
        return null;
    }

    /** Takes every waiting request out and hands each to {@code fail}. */
    void failAll(Consumer<PendingRequest> fail) {
        for (PendingRequest p; (p = poll()) != null; ) {
            fail.accept(p);
        }
    }

    /**
     * {@code p}'s deadline relative to baseNanos, computed from the time left so that no deadline (one far away given
     * as an absolute nanoTime, say) can overflow; capped at about 73 years.
     */
    private long relative(PendingRequest p, long nowNanos) {
        return nowNanos - baseNanos + Math.min(Math.max(p.deadlineNanos - nowNanos, 0), Long.MAX_VALUE / 4);
    }

    /** Makes sure a sweep is due by {@code relativeDeadline}; false if the event loops are gone. */
    private boolean awaitSweep(long relativeDeadline) {
        for (long current; relativeDeadline < (current = earliest.get()); ) {
            if (earliest.compareAndSet(current, relativeDeadline)) {
                long delay = relativeDeadline - (clock.getAsLong() - baseNanos);
                try {
                    timer.schedule(() -> sweep(relativeDeadline), Math.max(0, delay), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopped) {
                    earliest.set(Long.MIN_VALUE); // never lowered again: every later call fails too
                    return false;
                }
                return true;
            }
        }
        return earliest.get() != Long.MIN_VALUE;
    }

    /** Fails the queued requests whose deadline has passed; then waits for the next earliest. */
    private void sweep(long target) {
        if (!earliest.compareAndSet(target, Long.MAX_VALUE)) {
            // Someone lowered the earliest deadline after this sweep was set, and set a sweep for
            // it, which walks the queue and sets the next; this one is stale. (Without this, each
            // lowering would start a chain of sweeps of its own for as long as the queue lasts.)
            return;
        }
        walks++;
        long now = clock.getAsLong();
        long next = Long.MAX_VALUE;
        for (Iterator<PendingRequest> it = queue.iterator(); it.hasNext(); ) {
            PendingRequest p = it.next();
            if (p.state.get() != PendingRequest.QUEUED) {
                continue;
            }
            if (p.expired(now)) {
                if (p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
                    it.remove();
                    size.decrementAndGet();
                    expired.accept(p);
                }
            } else {
                next = Math.min(next, relative(p, now));
            }
        }
        if (next != Long.MAX_VALUE) {
            // Not sooner than a slack that grows with the queue, so that a long queue whose
            // deadlines are spread out (a stalled server) is not walked over and over: a walk
            // costs a few ns per request, and at most one per slack keeps it to a few percent of
            // a core; a request then fails at most that much after its deadline.
            long slack = Math.max(MIN_SWEEP_SLACK_NANOS, 200L * size.get());
            awaitSweep(Math.max(next, now - baseNanos + slack));
        }
    }
}
