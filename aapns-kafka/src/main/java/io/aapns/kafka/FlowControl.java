package io.aapns.kafka;

import java.util.concurrent.Executor;

/**
 * Counts the records the worker holds (taken from Kafka, no outcome yet) and pauses the listener container when they
 * reach {@code max-in-flight}, resuming it once they fall to the low-water mark: memory stays bounded and the client's
 * queue is never flooded. Thread-safe. The container is paused and resumed on one thread of its own, which applies the
 * latest decision, so that no thread of the worker waits for the container's lock (taken by its stop while it waits for
 * the consumer thread).
 */
final class FlowControl {

    /** What pauses and resumes consumption: the listener container. */
    interface Valve {
        void pause();

        void resume();
    }

    private final int high;
    private final int low;
    private final Valve valve;
    private final Executor valveThread;
    private int held;
    private boolean paused;
    private long pauses;
    private long resumes;

    FlowControl(int high, int low, Valve valve, Executor valveThread) {
        if (low < 0 || low >= high) {
            throw new IllegalArgumentException(
                    "the low-water mark must be from 0 to max-in-flight - 1 (" + (high - 1) + "), got " + low);
        }
        this.high = high;
        this.low = low;
        this.valve = valve;
        this.valveThread = valveThread;
    }

    /** Counts one more record held; pauses at the high-water mark. */
    synchronized void hold() {
        held++;
        if (held >= high && !paused) {
            paused = true;
            pauses++;
            valveThread.execute(this::apply);
        }
    }

    /** Counts one record fewer held; resumes at the low-water mark. */
    synchronized void release() {
        held--;
        if (held <= low && paused) {
            paused = false;
            resumes++;
            valveThread.execute(this::apply);
        }
        if (held == 0) {
            notifyAll();
        }
    }

    /** Pauses or resumes the container as last decided; runs on the valve's thread only. */
    private void apply() {
        boolean pause;
        synchronized (this) {
            pause = paused;
        }
        if (pause) {
            valve.pause();
        } else {
            valve.resume();
        }
    }

    /** Waits up to {@code millis} for no record to be held; returns whether none is. */
    synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (held > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized int held() {
        return held;
    }

    synchronized long pauses() {
        return pauses;
    }

    synchronized long resumes() {
        return resumes;
    }
}
