package io.aapns.connection;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Event loops shared by many clients: give one {@code ApnsResources} to every {@code ApnsClient} and
 * {@code ApnsChannels} of an application ({@code builder.resources(resources)}), so that twenty clients share a few
 * threads instead of starting two each. Host names are resolved on aapns' own two shared lookup threads whatever the
 * resources, so a slow DNS server never blocks an event loop.
 *
 * <pre>{@code
 * ApnsResources resources = ApnsResources.create();
 * ApnsClient app = ApnsClient.builder().resources(resources)...build();
 * ApnsClient watch = ApnsClient.builder().resources(resources)...build();
 * ...
 * app.close(); watch.close(); resources.close();   // in any order
 * }</pre>
 *
 * <p>The loops shut down once {@link #close()} has been called and every client built with them has closed, whichever
 * comes last: closing the resources first does not cut off clients still running, and closing a client never stops the
 * loops the others use. A client cannot be built with closed resources. Thread-safe.
 */
public final class ApnsResources implements AutoCloseable {

    private final EventLoopGroup group;
    private final int threads;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private int leases;
    private boolean closed;

    private ApnsResources(int threads) {
        this.threads = threads;
        this.group = Connection.newEventLoopGroup(threads, "aapns");
    }

    /** Resources with one event loop per available processor. */
    public static ApnsResources create() {
        return builder().build();
    }

    /** A builder, to choose the number of event loops. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of event loop threads. */
    public int threads() {
        return threads;
    }

    /**
     * Lends the event loops to one user (a client's pool) until the lease is closed. Clients and channel managers built
     * with {@code resources(...)} take and return their lease themselves; call this only for connections or pools of
     * your own.
     *
     * @throws IllegalStateException if these resources are closed
     */
    public synchronized Lease lease() {
        if (closed) {
            throw new IllegalStateException("these ApnsResources are closed: build clients with resources that are"
                    + " open (ApnsResources.create()), or close the resources only after building every client");
        }
        leases++;
        return new Lease();
    }

    /**
     * The shared event loops, for scheduling work beside the clients'. Do not shut them down: close these resources.
     */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** The number of clients and channel managers (leases) using the loops now. */
    public synchronized int users() {
        return leases;
    }

    /** Whether new clients may still be built with these resources ({@link #close()} not called yet). */
    public synchronized boolean isOpen() {
        return !closed;
    }

    /** Whether {@link #close()} was called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Takes no new clients; the event loops shut down once every client built with them has closed (at once if none is
     * open). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        shutDownIfDone();
    }

    /** Completes once the event loops have shut down. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    private void returned() {
        synchronized (this) {
            leases--;
        }
        shutDownIfDone();
    }

    private void shutDownIfDone() {
        synchronized (this) {
            if (!closed || leases > 0 || group.isShuttingDown()) {
                return;
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> terminated.complete(null));
    }

    @Override
    public String toString() {
        return "ApnsResources[threads=" + threads + "]";
    }

    /** The loan of the event loops to one user; {@link #close()} returns it (once, however often it is called). */
    public final class Lease implements AutoCloseable {

        private boolean returned;

        private Lease() {}

        /** The shared event loops. Do not shut them down: close the lease. */
        public EventLoopGroup eventLoopGroup() {
            return group;
        }

        @Override
        public void close() {
            synchronized (ApnsResources.this) {
                if (returned) {
                    return;
                }
                returned = true;
            }
            returned();
        }
    }

    /** Builds {@link ApnsResources}. */
    public static final class Builder {

        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /** The number of event loop threads, 1 or more; by default one per available processor. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException(
                        "threads must be 1 or more, was " + threads + ": one event loop serves many connections");
            }
            this.threads = threads;
            return this;
        }

        /** Starts the event loops. */
        public ApnsResources build() {
            return new ApnsResources(threads);
        }
    }
}
