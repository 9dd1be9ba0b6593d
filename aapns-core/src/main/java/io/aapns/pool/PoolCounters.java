package io.aapns.pool;

import io.aapns.connection.ConnectionState;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** A pool's counters, written from any thread, read as a {@link PoolStats}. */
final class PoolCounters {
    final AtomicInteger inFlight = new AtomicInteger();
    /** Requests posted and not yet ended: a graceful close waits for zero. */
    final AtomicInteger unfinished = new AtomicInteger();

    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder possibleDuplicates = new LongAdder();
    /** Re-sends by their reason: keys are the fixed words of DeliveryRules, never a server's text. */
    private final ConcurrentHashMap<String, LongAdder> retried = new ConcurrentHashMap<>();

    void retried(String reason) {
        retried.computeIfAbsent(reason, c -> new LongAdder()).increment();
    }

    PoolStats stats(Map<ConnectionState, Integer> connections, int waiting) {
        Map<String, Long> retries = new TreeMap<>();
        retried.forEach((cause, count) -> retries.put(cause, count.sum()));
        return new PoolStats(
                Collections.unmodifiableMap(connections),
                inFlight.get(),
                waiting,
                completed.sum(),
                failed.sum(),
                Collections.unmodifiableMap(retries),
                possibleDuplicates.sum());
    }
}
