package io.aapns.pool;

import io.aapns.connection.ConnectionOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Pool} behaves: how many connections, how each is opened, how many requests may
 * wait for a free stream, how retries back off, and the default deadline. Immutable; start from
 * {@link #builder()}.
 */
public final class PoolOptions {

    private final int size;
    private final ConnectionOptions connectionOptions;
    private final int maxPending;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Duration startTimeout;

    private PoolOptions(Builder b) {
        this.size = b.size;
        this.connectionOptions = b.connectionOptions;
        this.maxPending = b.maxPending;
        this.retryPolicy = b.retryPolicy;
        this.requestTimeout = b.requestTimeout;
        this.startTimeout = b.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive changed ones. */
    public Builder newBuilder() {
        return new Builder().size(size).connectionOptions(connectionOptions).maxPending(maxPending)
                .retryPolicy(retryPolicy).requestTimeout(requestTimeout).startTimeout(startTimeout);
    }

    /** Connections kept open (default 2). */
    public int size() {
        return size;
    }

    /** How each connection is opened: TLS, timeouts, PING, event loops, listener. */
    public ConnectionOptions connectionOptions() {
        return connectionOptions;
    }

    /** Requests that may wait for a free stream before {@code post} fails fast (default 10 000). */
    public int maxPending() {
        return maxPending;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The deadline of requests that carry none (default 10 s), counted from {@code post}. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * How long {@link Pool#create} waits for a first connection while connection attempts fail
     * with errors that may pass (default 30 s); permanent errors fail it at once.
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    @Override
    public String toString() {
        return "PoolOptions{size=" + size + ", maxPending=" + maxPending + ", requestTimeout=" + requestTimeout
                + ", " + retryPolicy + "}";
    }

    /** Builds {@link PoolOptions}. */
    public static final class Builder {
        private int size = 2;
        private ConnectionOptions connectionOptions;
        private int maxPending = 10_000;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration startTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Connections kept open; at least 1 (default 2). */
        public Builder size(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("pool size must be at least 1, got " + size);
            }
            this.size = size;
            return this;
        }

        /** How each connection is opened (required: it holds the TLS context). */
        public Builder connectionOptions(ConnectionOptions options) {
            this.connectionOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Requests that may wait for a free stream; at least 0 (default 10 000). */
        public Builder maxPending(int maxPending) {
            if (maxPending < 0) {
                throw new IllegalArgumentException("maxPending must not be negative, got " + maxPending);
            }
            this.maxPending = maxPending;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The deadline of requests that carry none; must be positive (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** How long creation waits for a first connection through passing errors (default 30 s). */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        public PoolOptions build() {
            if (connectionOptions == null) {
                throw new IllegalStateException("connectionOptions are required: they hold the TLS context");
            }
            return new PoolOptions(this);
        }
    }
}
