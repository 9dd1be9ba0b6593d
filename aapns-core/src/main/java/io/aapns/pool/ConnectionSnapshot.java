package io.aapns.pool;

import io.aapns.connection.ConnectionState;
import java.time.Instant;
import java.util.Optional;

/**
 * One connection of a pool at one moment: what health endpoints show.
 *
 * @param slot the pool slot it fills, from 0
 * @param state its state; CONNECTING also while the slot waits to reconnect
 * @param inFlight streams waiting for an answer
 * @param maxConcurrentStreams the server's current stream limit (0 before its first SETTINGS)
 * @param sent requests written
 * @param answered answers received
 * @param failed requests that failed without an answer
 * @param connectedSince when it became ready
 * @param lastError the last error on this slot: a failed connect, a lost connection
 * @param goAwayReason the reason in the server's GOAWAY, if it sent one
 */
public record ConnectionSnapshot(
        int slot,
        ConnectionState state,
        int inFlight,
        long maxConcurrentStreams,
        long sent,
        long answered,
        long failed,
        Optional<Instant> connectedSince,
        Optional<String> lastError,
        Optional<String> goAwayReason) {

    /** True if the connection takes new requests. */
    public boolean usable() {
        return state == ConnectionState.ACTIVE;
    }
}
