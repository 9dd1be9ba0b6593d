package io.aapns.pool;

import java.time.Duration;

/**
 * A callback given to {@link Pool#post(io.aapns.connection.Request, java.util.function.BiConsumer)} that also wants to
 * hear of each re-send of its request, for example to mark it on a trace. The pool calls it on one of its threads,
 * before the re-send: it must be quick and must not block; one that throws is logged and ignored.
 */
public interface RetryObserver {

    /**
     * Attempt {@code attempt} (from 1) ended without the final answer, for {@code reason} (as
     * {@link PoolStats#retried()} names it: {@code unprocessed}, {@code connection-lost}, an APNs reason, ...); the
     * next attempt goes out after {@code delay}.
     */
    void retried(int attempt, String reason, Duration delay);
}
