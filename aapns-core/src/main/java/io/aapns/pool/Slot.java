package io.aapns.pool;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/** One of a pool's connection places: filled by a member, or waiting for one to open. */
final class Slot {

    private static final AtomicReferenceFieldUpdater<Slot, Member> MEMBER =
            AtomicReferenceFieldUpdater.newUpdater(Slot.class, Member.class, "member");

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

    /**
     * Puts {@code next} (or null) in place of {@code expected}, if that is still the member: one change wins when the
     * slot's connection goes away and a certificate roll replaces it at the same time.
     */
    boolean replaceMember(Member expected, Member next) {
        return MEMBER.compareAndSet(this, expected, next);
    }

    void error(Throwable error) {
        lastError = error;
        lastErrorAt = Instant.now();
    }
}
