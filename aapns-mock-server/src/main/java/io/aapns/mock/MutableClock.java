package io.aapns.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that tests move by hand, so that rules measured in minutes (token age, token update rate) can be
 * tested without waiting. Thread-safe.
 */
public final class MutableClock extends Clock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** A clock that starts at the current time. */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.now());
    }

    /** Moves the clock forward (or back, with a negative amount). */
    public synchronized void advance(Duration amount) {
        now = now.plus(amount);
    }

    /** Sets the clock. */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a MutableClock is always UTC");
    }
}
