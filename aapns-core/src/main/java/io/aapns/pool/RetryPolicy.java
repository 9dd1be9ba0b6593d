package io.aapns.pool;

import io.aapns.connection.Response;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how soon a {@link Pool} sends a request again. Two things are retried: answers whose status (or reason) the
 * policy names, by default 429 TooManyRequests, 500 and 503 as Apple advises, after an exponential back-off with
 * jitter; and connections that could not be opened, after the same kind of back-off. Requests that a connection lost
 * are re-sent at once, whatever the policy says (see {@link Pool}). Nothing is ever retried past the request's
 * deadline. Immutable.
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final Set<Integer> statuses;
    /** {@link #statuses} as a table by status code, so that checking an answer boxes nothing. */
    private final boolean[] statusTable = new boolean[1000];

    private final Set<String> reasons;

    private RetryPolicy(Builder b) {
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.jitter = b.jitter;
        this.statuses = Set.copyOf(b.statuses);
        for (int status : statuses) {
            if (status >= 0 && status < statusTable.length) {
                statusTable[status] = true;
            }
        }
        this.reasons = Set.copyOf(b.reasons);
    }

    /** 100 ms initial back-off doubling up to 5 s, 50% jitter, re-send 429, 500 and 503. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's values. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.initialBackoff = initialBackoff;
        b.maxBackoff = maxBackoff;
        b.jitter = jitter;
        b.statuses = statuses;
        b.reasons = reasons;
        return b;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** The fraction (0 to 1) of each back-off that is randomised, so that clients do not retry in step. */
    public double jitter() {
        return jitter;
    }

    /** The HTTP statuses whose answers are sent again. */
    public Set<Integer> statuses() {
        return statuses;
    }

    /** APNs reason strings whose answers are sent again, whatever their status. */
    public Set<String> reasons() {
        return reasons;
    }

    /** Whether {@code response} asks for the request to be sent again. */
    public boolean retries(Response response) {
        int status = response.status();
        if (status >= 0 && status < statusTable.length ? statusTable[status] : statuses.contains(status)) {
            return true;
        }
        return !reasons.isEmpty() && response.reason().map(reasons::contains).orElse(false);
    }

    /**
     * The back-off before retry number {@code retry} (1 for the first): {@code initialBackoff} doubled per retry,
     * capped at {@code maxBackoff}, then the jitter fraction of it randomised.
     */
    public long backoffNanos(int retry) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int doublings = Math.max(0, Math.min(retry - 1, 40));
        long delay = initial;
        for (int i = 0; i < doublings && delay < max; i++) {
            delay = delay > max / 2 ? max : delay * 2;
        }
        delay = Math.min(delay, max);
        long randomised = (long) (delay * jitter);
        if (randomised <= 0) {
            return delay;
        }
        return delay - randomised + ThreadLocalRandom.current().nextLong(randomised + 1);
    }

    @Override
    public String toString() {
        return "RetryPolicy{initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter
                + ", statuses=" + statuses + ", reasons=" + reasons + "}";
    }

    /** Builds a {@link RetryPolicy}. */
    public static final class Builder {
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private double jitter = 0.5;
        private Set<Integer> statuses = Set.of(429, 500, 503);
        private Set<String> reasons = Set.of();

        private Builder() {}

        /** The first back-off (default 100 ms); must be positive. */
        public Builder initialBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative() || backoff.isZero()) {
                throw new IllegalArgumentException("initialBackoff must be positive, got " + backoff);
            }
            this.initialBackoff = backoff;
            return this;
        }

        /** The longest back-off (default 5 s); must not be below the initial one. */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** The randomised fraction of each back-off, 0 (none) to 1 (all); default 0.5. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** The statuses to re-send (default 429, 500, 503); none to re-send no answer. */
        public Builder retryStatuses(Set<Integer> statuses) {
            this.statuses = Set.copyOf(statuses);
            return this;
        }

        /** Reason strings to re-send whatever their status (default none). */
        public Builder retryReasons(Set<String> reasons) {
            this.reasons = Set.copyOf(reasons);
            return this;
        }

        public RetryPolicy build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
            }
            return new RetryPolicy(this);
        }
    }
}
