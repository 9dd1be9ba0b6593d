package io.aapns.pool;

import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionState;
import java.util.concurrent.atomic.AtomicInteger;

/** A connection serving a pool slot, with the streams the pool has reserved on it. */
final class Member {

    final Slot slot;
    final Connection connection;
    /** The generation of connection options it was opened with (a certificate roll starts a new one). */
    final int generation;

    final long openedNanos = System.nanoTime();
    /** Streams reserved by the pool: requests handed to the connection and not yet ended. */
    final AtomicInteger reserved = new AtomicInteger();

    Member(Slot slot, Connection connection, int generation) {
        this.slot = slot;
        this.connection = connection;
        this.generation = generation;
    }

    /** 5xx answers and lost or unanswered attempts in a row, for recycling a connection that keeps failing. */
    final AtomicInteger failuresInARow = new AtomicInteger();

    /** Takes new requests: active, and not waiting for a PING that follows an unanswered request. */
    boolean usable() {
        return connection.state() == ConnectionState.ACTIVE && !connection.isUnresponsive();
    }

    /**
     * Counts an attempt's end on this connection: a 5xx answer or a failure adds one, any other answer starts again
     * from zero. Returns true when this end reached {@code limit} in a row (once).
     */
    boolean countEnd(boolean failure, int limit) {
        if (!failure) {
            if (failuresInARow.get() != 0) {
                failuresInARow.set(0);
            }
            return false;
        }
        return failuresInARow.incrementAndGet() == limit;
    }

    /** Streams still free under the server's current limit, as the pool counts them. */
    long free() {
        return connection.maxConcurrentStreams() - reserved.get();
    }

    /** Reserves a stream if one is free under the server's current limit. */
    boolean tryReserve() {
        long limit = connection.maxConcurrentStreams();
        for (; ; ) {
            int r = reserved.get();
            if (r >= limit) {
                return false;
            }
            if (reserved.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        reserved.decrementAndGet();
    }
}
