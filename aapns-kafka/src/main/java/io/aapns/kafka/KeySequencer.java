package io.aapns.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs tasks one key at a time, in the order they were submitted: a task waits until the previous one with the same key
 * called {@link #done(String)}; tasks with different keys run at once. The worker's per-key order: a record is not sent
 * before the previous record with the same key has an outcome. Thread-safe; tasks run outside its lock.
 */
final class KeySequencer {

    private final Map<String, ArrayDeque<Runnable>> busy = new HashMap<>();

    /** Runs {@code task} now if no task of {@code key} is running, else after the ones before it. */
    void submit(String key, Runnable task) {
        synchronized (busy) {
            ArrayDeque<Runnable> waiting = busy.get(key);
            if (waiting != null) {
                waiting.addLast(task);
                return;
            }
            busy.put(key, new ArrayDeque<>());
        }
        task.run();
    }

    /** Says that the running task of {@code key} is done, and runs the next one waiting, if any. */
    void done(String key) {
        Runnable next;
        synchronized (busy) {
            ArrayDeque<Runnable> waiting = busy.get(key);
            if (waiting == null) {
                throw new IllegalStateException("no task of this key is running");
            }
            next = waiting.pollFirst();
            if (next == null) {
                busy.remove(key);
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Returns how many keys have a task running. */
    int busyKeys() {
        synchronized (busy) {
            return busy.size();
        }
    }
}
