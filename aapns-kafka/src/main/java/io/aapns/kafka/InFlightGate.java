package io.aapns.kafka;

import java.util.ArrayDeque;

/**
 * Lets at most {@code max} sends be outstanding at once; the ones past it wait, in order, until a send ends.
 * Thread-safe; tasks run outside its lock.
 */
final class InFlightGate {

    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int outstanding;
    private int highest;

    InFlightGate(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max-in-flight must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** Runs {@code send} now if fewer than {@code max} are outstanding, else once one ends. */
    void submit(Runnable send) {
        synchronized (this) {
            if (outstanding >= max) {
                waiting.addLast(send);
                return;
            }
            outstanding++;
            highest = Math.max(highest, outstanding);
        }
        send.run();
    }

    /** Says that one outstanding send ended; runs the next waiting one in its place. */
    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                outstanding--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Returns the number of sends outstanding now. */
    synchronized int outstanding() {
        return outstanding;
    }

    /** Returns the most sends that were outstanding at once. */
    synchronized int highest() {
        return highest;
    }
}
