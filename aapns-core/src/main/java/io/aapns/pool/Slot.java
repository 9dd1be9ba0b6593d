package io.aapns.pool;

import java.time.Instant;

/** One of a pool's connection places: filled by a member, or waiting for one to open. */
final class Slot {

    final int index;
    /** The member taking new requests, or null while a connection is being opened. */
    volatile Member member;
    /** Removed by a shrink: no new connection is opened for it. */
    volatile boolean retired;
    /** Connection attempts that failed in a row, for the back-off. */
    volatile int failures;

    volatile Throwable lastError;
    volatile Instant lastErrorAt;

    Slot(int index) {
        this.index = index;
    }

    void error(Throwable error) {
        lastError = error;
        lastErrorAt = Instant.now();
    }
}
