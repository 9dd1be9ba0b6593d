package io.aapns.pool;

import io.aapns.errors.ApnsException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a pool: open, draining (after {@code closeGracefully}), closed; the futures that tell of it (ready,
 * terminated) and why it closed. State changes take one lock; reads are volatile. What closing does to requests and
 * connections is the pool's {@code closeAll} task, run once by the call that closes.
 */
final class PoolLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    private enum State {
        OPEN,
        DRAINING,
        CLOSED
    }

    private final Object lock = new Object();
    private final URI origin;
    private final EventExecutor timer;
    private final LongSupplier unfinished;
    private final Runnable closeAll;
    private final CompletableFuture<Pool> started = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile State state = State.OPEN;
    private volatile ApnsException closeCause;

    /**
     * @param unfinished requests handed to the pool that have not ended yet
     * @param closeAll fails queued and sleeping requests and closes the connections
     */
    PoolLifecycle(URI origin, EventExecutor timer, LongSupplier unfinished, Runnable closeAll) {
        this.origin = origin;
        this.timer = timer;
        this.unfinished = unfinished;
        this.closeAll = closeAll;
    }

    /** Whether new requests are taken (not draining, not closed). */
    boolean accepting() {
        return state == State.OPEN;
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    CompletableFuture<Pool> ready() {
        return started;
    }

    /** A first connection is up. */
    void started(Pool pool) {
        started.complete(pool);
    }

    /** Whether the first connection has come up, or the start has failed. */
    boolean startDecided() {
        return started.isDone();
    }

    /**
     * Fails {@link #ready()} if no connection came up within {@code timeout}, and closes the pool too when
     * {@code closeOnTimeout}; {@code lastError} says why the last attempt failed.
     */
    void startTimer(Duration timeout, boolean closeOnTimeout, Supplier<Throwable> lastError) {
        timer.schedule(
                () -> {
                    if (started.isDone()) {
                        return;
                    }
                    Throwable last = lastError.get();
                    ConnectFailedException e = new ConnectFailedException(
                            ConnectFailedException.Kind.CONNECT_TIMEOUT,
                            "no connection to " + origin + " could be opened within " + timeout
                                    + (last != null ? "; last error: " + last.getMessage() : "")
                                    + (closeOnTimeout ? "" : "; still trying"),
                            last);
                    if (closeOnTimeout) {
                        shutDown(e);
                    } else {
                        log.warn("{}", e.getMessage());
                        started.completeExceptionally(e);
                    }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** A request ended; {@code unfinishedNow} were left. A draining pool with none left closes. */
    void requestEnded(long unfinishedNow) {
        if (unfinishedNow == 0 && state == State.DRAINING) {
            drained.complete(null);
        }
    }

    /** The failure of a request that the pool no longer takes. */
    ApnsException notAccepting() {
        ApnsException cause = closeCause;
        if (cause != null) {
            return new ClosedException("the pool is closed: " + cause.getMessage(), true, cause);
        }
        return new ClosedException(
                state == State.DRAINING ? "the pool is closing and takes no new requests" : "the pool is closed", true);
    }

    /** Runs {@code change} under the state lock while the pool is not closed; else throws {@link #notAccepting()}. */
    void whileNotClosed(Runnable change) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw notAccepting();
            }
            change.run();
        }
    }

    /** Stops taking requests, closes when the unfinished ones end or {@code timeout} passes. */
    CompletableFuture<Void> closeGracefully(Duration timeout) {
        synchronized (lock) {
            if (state == State.OPEN) {
                state = State.DRAINING;
                if (unfinished.getAsLong() == 0) {
                    drained.complete(null);
                }
            }
        }
        if (state == State.DRAINING) {
            timer.schedule(() -> drained.complete(null), timeout.toNanos(), TimeUnit.NANOSECONDS);
            drained.whenComplete((v, e) -> shutDown(null));
        }
        return terminated;
    }

    /** Closes the pool; with a cause, later posts fail fast with it and creation fails with it. Idempotent. */
    void shutDown(ApnsException cause) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            if (cause != null) {
                closeCause = cause;
                log.warn("closing the APNs pool for {}: {}", origin, cause.getMessage());
            }
            state = State.CLOSED;
        }
        started.completeExceptionally(cause != null ? cause : notAccepting());
        drained.complete(null);
        closeAll.run();
    }

    /** Every connection is gone: shut down the pool's own event loops, if it has them, then say it is over. */
    void terminate(EventLoopGroup ownedGroup) {
        if (terminated.isDone()) {
            return;
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> terminated.complete(null));
        } else {
            terminated.complete(null);
        }
    }

    Optional<ApnsException> closeCause() {
        return Optional.ofNullable(closeCause);
    }

    CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    @Override
    public String toString() {
        return state.name();
    }
}
