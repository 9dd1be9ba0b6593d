package io.aapns.pool;

import io.aapns.connection.ConnectionState;
import java.util.Map;

/**
 * A pool's counters at one moment, for metrics and health.
 *
 * @param connections open and opening connections by state
 * @param inFlight requests on the wire, waiting for an answer
 * @param queued requests waiting for a free stream (at most {@code maxPending}), or for their back-off to end
 * @param completed requests that ended with an answer from APNs (any status)
 * @param failed requests that ended without an answer (deadline, pool closed, ...)
 * @param retried re-sends by cause: {@code unprocessed} (the server certainly did not process the request: GOAWAY above
 *     last-stream-id, REFUSED_STREAM, never written), {@code connection-lost} (it may have), or the answer's reason or
 *     {@code status-<code>}
 * @param possibleDuplicates re-sends of requests that a lost connection may have delivered
 */
public record PoolStats(
        Map<ConnectionState, Integer> connections,
        int inFlight,
        int queued,
        long completed,
        long failed,
        Map<String, Long> retried,
        long possibleDuplicates) {

    /** All re-sends, whatever the cause. */
    public long retriedTotal() {
        return retried.values().stream().mapToLong(Long::longValue).sum();
    }
}
