package io.aapns.pool;

import io.aapns.connection.ConnectionOptions;
import io.aapns.spi.ApnsListener;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Pool} behaves: how many connections, how each is opened, how many requests may wait for a free stream,
 * how retries back off, and the default deadline. Immutable; start from {@link #builder()}.
 */
public final class PoolOptions {

    private final int size;
    private final ConnectionOptions connectionOptions;
    private final int maxPending;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Duration startTimeout;
    private final Duration attemptTimeout;
    private final int maxUnsafeRetries;
    private final int replaceAfterFailures;
    private final boolean closeOnStartTimeout;
    /** Null when not set: {@link #listener()} then looks at the connection options. */
    private final ApnsListener listener;

    private PoolOptions(Builder b) {
        this.size = b.size;
        this.connectionOptions = b.connectionOptions;
        this.maxPending = b.maxPending;
        this.retryPolicy = b.retryPolicy;
        this.requestTimeout = b.requestTimeout;
        this.startTimeout = b.startTimeout;
        this.attemptTimeout = b.attemptTimeout;
        this.maxUnsafeRetries = b.maxUnsafeRetries;
        this.replaceAfterFailures = b.replaceAfterFailures;
        this.closeOnStartTimeout = b.closeOnStartTimeout;
        this.listener = b.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to derive changed ones. */
    public Builder newBuilder() {
        return new Builder()
                .size(size)
                .connectionOptions(connectionOptions)
                .maxPending(maxPending)
                .retryPolicy(retryPolicy)
                .requestTimeout(requestTimeout)
                .startTimeout(startTimeout)
                .attemptTimeout(attemptTimeout)
                .maxUnsafeRetries(maxUnsafeRetries)
                .replaceAfterFailures(replaceAfterFailures)
                .closeOnStartTimeout(closeOnStartTimeout)
                .listenerIfSet(listener);
    }

    /** Connections kept open (default 2). */
    public int size() {
        return size;
    }

    /** How each connection is opened: TLS, timeouts, PING, event loops, listener. */
    public ConnectionOptions connectionOptions() {
        return connectionOptions;
    }

    /**
     * Receives the pool's events (re-sends, the end of each request). The one set with {@link Builder#listener}; if
     * none was, the connection options' listener when it is an {@link ApnsListener}; else {@link ApnsListener#NONE}. A
     * pool whose connection options have no listener of their own gives this one to its connections too, so one
     * listener set in either place sees everything.
     */
    public ApnsListener listener() {
        if (listener != null) {
            return listener;
        }
        return connectionOptions.listener() instanceof ApnsListener given ? given : ApnsListener.NONE;
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
     * How long {@link Pool#create} waits for a first connection while connection attempts fail with errors that may
     * pass (default 30 s); permanent errors fail it at once.
     */
    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * How long one attempt waits for its answer (default 3 s) before its stream is reset, its connection is PINGed and
     * the request is sent on another connection as a possible duplicate. Bounded by the request's deadline.
     */
    public Duration attemptTimeout() {
        return attemptTimeout;
    }

    /**
     * Re-sends per request that may deliver a duplicate (default 1): after an attempt that went out whole was lost
     * without an answer or timed out. Re-sends the server certainly did not process are bounded by the deadline only.
     */
    public int maxUnsafeRetries() {
        return maxUnsafeRetries;
    }

    /**
     * Failures in a row (5xx answers, lost or unanswered attempts) after which a connection is replaced by a new one
     * (default 5): a connection stuck answering 500 gets no more requests.
     */
    public int replaceAfterFailures() {
        return replaceAfterFailures;
    }

    /**
     * Whether the pool closes for good when no connection opened within {@link #startTimeout()} (default false:
     * {@link Pool#ready()} fails then, and the pool keeps trying with back-off, so an application that starts before
     * the network is ready still sends once it is).
     */
    public boolean closeOnStartTimeout() {
        return closeOnStartTimeout;
    }

    @Override
    public String toString() {
        return "PoolOptions{size=" + size + ", maxPending=" + maxPending + ", requestTimeout=" + requestTimeout
                + ", attemptTimeout=" + attemptTimeout + ", maxUnsafeRetries=" + maxUnsafeRetries + ", "
                + retryPolicy + "}";
    }

    /** Builds {@link PoolOptions}. */
    public static final class Builder {
        private int size = 2;
        private ConnectionOptions connectionOptions;
        private int maxPending = 10_000;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration startTimeout = Duration.ofSeconds(30);
        private Duration attemptTimeout = Duration.ofSeconds(3);
        private int maxUnsafeRetries = 1;
        private int replaceAfterFailures = 5;
        private boolean closeOnStartTimeout;
        private ApnsListener listener;

        private Builder() {}

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

        /** How long one attempt waits for its answer; must be positive (default 3 s). */
        public Builder attemptTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("attemptTimeout must be positive, got " + timeout);
            }
            this.attemptTimeout = timeout;
            return this;
        }

        /** Re-sends per request that may deliver a duplicate; 0 for none (default 1). */
        public Builder maxUnsafeRetries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("maxUnsafeRetries must not be negative, got " + retries);
            }
            this.maxUnsafeRetries = retries;
            return this;
        }

        /** Failures in a row after which a connection is replaced; at least 1 (default 5). */
        public Builder replaceAfterFailures(int failures) {
            if (failures < 1) {
                throw new IllegalArgumentException("replaceAfterFailures must be at least 1, got " + failures);
            }
            this.replaceAfterFailures = failures;
            return this;
        }

        /** Whether the pool closes for good when no connection opened within the start timeout (default false). */
        public Builder closeOnStartTimeout(boolean close) {
            this.closeOnStartTimeout = close;
            return this;
        }

        /** Receives the pool's events and, unless the connection options name their own, its connections' events. */
        public Builder listener(ApnsListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        private Builder listenerIfSet(ApnsListener listener) {
            this.listener = listener;
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
