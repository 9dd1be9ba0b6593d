package io.aapns.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One key of an {@link ApnsClientRegistry}: its client, built once by the first caller that needs it (others wait for
 * that build), when it was last used, and whether the registry has retired it (evicted, idle, replaced, closed). A
 * retired tenant's client is closed once it is built, whichever comes last.
 */
final class Tenant<K> {

    final K key;
    /** The credential version the client was built for, or null without a version function. */
    final Object version;

    private final CompletableFuture<ApnsClient> built = new CompletableFuture<>();
    private final AtomicBoolean building = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean retired;
    private volatile long lastUsedNanos;

    Tenant(K key, Object version, long nowNanos) {
        this.key = key;
        this.version = version;
        this.lastUsedNanos = nowNanos;
    }

    /**
     * The client: built by this call with {@code build} if no other has begun, else the one another call builds (this
     * waits for it: a build does not block on the network). A build that fails fails every caller waiting for it.
     */
    ApnsClient client(Supplier<ApnsClient> build) {
        if (building.compareAndSet(false, true)) {
            try {
                built.complete(build.get());
            } catch (RuntimeException | Error e) {
                built.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return built.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The client if it has been built, else null. */
    ApnsClient clientIfBuilt() {
        return built.isDone() && !built.isCompletedExceptionally() ? built.join() : null;
    }

    void touch(long nowNanos) {
        if (lastUsedNanos != nowNanos) {
            lastUsedNanos = nowNanos;
        }
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    boolean retired() {
        return retired;
    }

    /** Marks it retired (the registry's lock held); {@link #close} closes its client. */
    void retire() {
        retired = true;
    }

    /**
     * Closes the client of a retired tenant, once built: gracefully (in-flight notifications finish within
     * {@code timeout}) or, with a null timeout, at once. Completes when it has closed. Idempotent.
     */
    CompletableFuture<Void> close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return built.handle((client, failed) -> client).thenCompose(client -> {
            if (client == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (timeout == null) {
                client.close();
                return CompletableFuture.completedFuture(null);
            }
            return client.closeGracefully(timeout);
        });
    }
}
