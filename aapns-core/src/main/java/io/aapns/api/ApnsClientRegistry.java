package io.aapns.api;

import io.aapns.connection.ApnsResources;
import io.aapns.errors.ClosedException;
import io.aapns.model.Notification;
import io.aapns.spi.ApnsListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ApnsClient} per tenant key (a customer's app, say) for senders that push for many, made on first use from
 * a loader and closed when not needed, all on one {@link ApnsResources}:
 *
 * <pre>{@code
 * ApnsClientRegistry<String> registry = ApnsClientRegistry.builder((String tenant) -> ApnsClient.builder()
 *         .server(ApnsServer.production())
 *         .signingKey(keys.signingKeyOf(tenant))
 *         .topic(apps.bundleIdOf(tenant)))
 *     .maxClients(500)
 *     .idleTimeout(Duration.ofMinutes(30))
 *     .build();
 * registry.send(tenant, deviceToken, notification).thenAccept(...);
 * }</pre>
 *
 * <ul>
 *   <li>The loader returns a new, configured {@link ApnsClient.Builder} for a key (server, credentials, topic,
 *       options); the registry sets {@link ApnsClient.Builder#resources} (so the loader must not set an event loop
 *       group) and, if asked, a listener. Concurrent first use of one key builds one client.
 *   <li>Bounded: beyond {@link Builder#maxClients}, the least recently used client is evicted. Idle clients, unused for
 *       {@link Builder#idleTimeout}, are closed by a check that runs on its own (and on {@link #closeIdle()}). A client
 *       the registry lets go is closed gracefully: no new notification, those in flight finish.
 *   <li>Replacement: {@link #refresh} (or a {@link Builder#credentialVersion} that changed) builds the new client
 *       first, puts it in place, then closes the old one gracefully.
 *   <li>{@link #send} is the way to send: if the client it took was let go by the registry just before it took the
 *       notification, it sends on the key's new client, so nothing is lost to an eviction. A client from
 *       {@link #client} is for short use: held on to, it may be closed under you.
 * </ul>
 *
 * <p>Per-tenant metrics are off by default (one meter set per tenant is a lot of cardinality): {@link Builder#listener}
 * turns them on. Thread-safe; the keys must have proper {@code equals} and {@code hashCode}.
 *
 * @param <K> the tenant key
 */
public final class ApnsClientRegistry<K> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApnsClientRegistry.class);
    /** Sends of one notification after the registry let its client go, before the refusal is the caller's. */
    private static final int MAX_RESENDS = 3;
    /** Tries to get a key's client while evictions keep retiring it, before giving up. */
    private static final int MAX_TRIES = 100;

    private final Function<? super K, ApnsClient.Builder> loader;
    private final Function<? super K, ?> credentialVersion;
    private final Function<? super K, ? extends ApnsListener> listeners;
    private final int maxClients;
    private final long idleNanos;
    private final Duration closeTimeout;
    private final Ticker ticker;
    private final ApnsResources resources;
    private final boolean ownsResources;
    private final ConcurrentHashMap<K, Tenant<K>> tenants = new ConcurrentHashMap<>();
    /** Taken to add, evict and replace tenants, so that there are never more than {@code maxClients}. */
    private final Object lock = new Object();

    private final ScheduledFuture<?> idleCheck;
    private volatile boolean closed;
    /** Runs between taking a key's client and sending on it, for tests to let the client go in that moment. */
    private volatile Consumer<K> beforeSend;

    private ApnsClientRegistry(Builder<K> b) {
        this.loader = b.loader;
        this.credentialVersion = b.credentialVersion;
        this.listeners = b.listeners;
        this.maxClients = b.maxClients;
        this.idleNanos = b.idleTimeout != null ? b.idleTimeout.toNanos() : 0;
        this.closeTimeout = b.closeTimeout;
        this.ticker = b.ticker;
        this.ownsResources = b.resources == null;
        this.resources = ownsResources ? ApnsResources.create() : b.resources;
        if (b.idleTimeout != null) {
            long period = Math.max(TimeUnit.SECONDS.toNanos(1), Math.min(idleNanos / 2, TimeUnit.MINUTES.toNanos(1)));
            this.idleCheck = resources
                    .eventLoopGroup()
                    .next()
                    .scheduleAtFixedRate(this::closeIdleQuietly, period, period, TimeUnit.NANOSECONDS);
        } else {
            this.idleCheck = null;
        }
    }

    /** A builder with {@code loader}: a new, configured {@code ApnsClient.Builder} for a key (required). */
    public static <K> Builder<K> builder(Function<? super K, ApnsClient.Builder> loader) {
        return new Builder<>(loader);
    }

    // ------------------------------------------------------------------ clients

    /**
     * The client of {@code key}, built from the loader on first use (or when its credential version changed). For short
     * use: the registry may close it when it evicts it; send through {@link #send} to be safe from that.
     *
     * @throws IllegalStateException if the registry is closed, or the resources it builds on are
     * @throws RuntimeException what the loader or {@code ApnsClient.Builder.build()} threw
     */
    public ApnsClient client(K key) {
        return tenant(key).client(() -> build(key));
    }

    /** A tenant of {@code key} whose client is built and was not retired meanwhile, touched. */
    private Tenant<K> tenant(K key) {
        Objects.requireNonNull(key, "key");
        for (int i = 0; i < MAX_TRIES; i++) {
            checkOpen();
            Tenant<K> t = tenants.get(key);
            if (t == null) {
                t = admit(key);
            } else if (credentialVersion != null && !Objects.equals(t.version, credentialVersion.apply(key))) {
                replace(t);
                continue;
            }
            try {
                t.client(() -> build(key));
            } catch (RuntimeException | Error e) {
                remove(t, null);
                throw e;
            }
            if (!t.retired()) {
                t.touch(ticker.nanoTime());
                return t;
            }
        }
        throw new IllegalStateException("the client of " + key + " was let go " + MAX_TRIES + " times while it was"
                + " being taken: maxClients (" + maxClients + ") is far too small for the keys in use at once");
    }

    private ApnsClient build(K key) {
        ApnsClient.Builder builder = Objects.requireNonNull(
                loader.apply(key), () -> "the registry's loader returned no ApnsClient.Builder for " + key);
        builder.resources(resources);
        if (listeners != null) {
            builder.listener(listeners.apply(key));
        }
        return builder.build();
    }

    /** Puts a new tenant for {@code key} in, evicting the least recently used while the registry is full. */
    private Tenant<K> admit(K key) {
        List<Tenant<K>> evicted = new ArrayList<>();
        Tenant<K> t;
        synchronized (lock) {
            checkOpen();
            t = tenants.get(key);
            if (t == null) {
                while (tenants.size() >= maxClients) {
                    Tenant<K> victim = leastRecentlyUsed();
                    tenants.remove(victim.key, victim);
                    victim.retire();
                    evicted.add(victim);
                }
                t = new Tenant<>(
                        key, credentialVersion != null ? credentialVersion.apply(key) : null, ticker.nanoTime());
                tenants.put(key, t);
            }
        }
        for (Tenant<K> victim : evicted) {
            log.debug("evicting the APNs client of {}: more than {} clients", victim.key, maxClients);
            victim.close(closeTimeout);
        }
        return t;
    }

    private Tenant<K> leastRecentlyUsed() {
        Tenant<K> oldest = null;
        for (Tenant<K> t : tenants.values()) {
            if (oldest == null || t.lastUsedNanos() - oldest.lastUsedNanos() < 0) {
                oldest = t;
            }
        }
        return oldest;
    }

    /**
     * Removes {@code t} if it is still the key's tenant and closes its client, gracefully within {@code timeout} (null:
     * at once). Completes when the client has closed.
     */
    private CompletableFuture<Void> remove(Tenant<K> t, Duration timeout) {
        synchronized (lock) {
            tenants.remove(t.key, t);
            t.retire();
        }
        return t.close(timeout);
    }

    /**
     * Replaces the client of {@code key} by a new one from the loader: the new client is built first and put in place,
     * then the old one closes gracefully (what is in flight on it finishes; {@link #send} moves what it refuses to the
     * new one). For a credential that changed. A key without a client is left alone (its first use loads it). The
     * future completes when the old client has closed.
     *
     * @throws IllegalStateException if the registry is closed
     * @throws RuntimeException what the loader or {@code ApnsClient.Builder.build()} threw; the old client stays
     */
    public CompletableFuture<Void> refresh(K key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        Tenant<K> old = tenants.get(key);
        return old == null ? CompletableFuture.completedFuture(null) : replace(old);
    }

    private CompletableFuture<Void> replace(Tenant<K> old) {
        K key = old.key;
        Tenant<K> fresh =
                new Tenant<>(key, credentialVersion != null ? credentialVersion.apply(key) : null, ticker.nanoTime());
        fresh.client(() -> build(key));
        boolean swapped;
        synchronized (lock) {
            swapped = !closed && tenants.replace(key, old, fresh);
            if (swapped) {
                old.retire();
            }
        }
        if (!swapped) { // evicted, replaced or closed meanwhile: the new client carried nothing
            fresh.retire();
            fresh.close(null);
            return CompletableFuture.completedFuture(null);
        }
        log.debug("replacing the APNs client of {}", key);
        return old.close(closeTimeout);
    }

    /**
     * Closes the clients unused for the idle timeout now (a check does so on its own, every half idle timeout within 1
     * s to 1 min). Returns how many it let go.
     */
    public int closeIdle() {
        if (idleNanos == 0 || closed) {
            return 0;
        }
        long now = ticker.nanoTime();
        int count = 0;
        for (Tenant<K> t : tenants.values()) {
            if (now - t.lastUsedNanos() >= idleNanos && t.clientIfBuilt() != null) {
                log.debug("closing the idle APNs client of {}", t.key);
                remove(t, closeTimeout);
                count++;
            }
        }
        return count;
    }

    private void closeIdleQuietly() {
        try {
            closeIdle();
        } catch (RuntimeException e) {
            log.warn("the idle check of the APNs client registry failed", e);
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends {@code notification} to {@code deviceToken} with the client of {@code key} and its defaults. */
    public CompletableFuture<PushResult> send(K key, String deviceToken, Notification notification) {
        return send(key, deviceToken, notification, SendOptions.defaults());
    }

    /**
     * Sends {@code notification} to {@code deviceToken} with the client of {@code key}, as {@link ApnsClient#send}. If
     * that client was let go by the registry (evicted, idle, replaced) before it took the notification, the
     * notification goes to the key's next client instead: the refusal of a closing client, which certainly did not send
     * it, is not the caller's.
     *
     * @throws IllegalArgumentException as {@link ApnsClient#send}
     * @throws IllegalStateException if the registry is closed
     * @throws RuntimeException what the loader or {@code ApnsClient.Builder.build()} threw
     */
    public CompletableFuture<PushResult> send(
            K key, String deviceToken, Notification notification, SendOptions options) {
        return send(key, deviceToken, notification, options, 0);
    }

    private CompletableFuture<PushResult> send(
            K key, String deviceToken, Notification notification, SendOptions options, int resends) {
        for (int attempt = resends; ; attempt++) {
            Tenant<K> t = tenant(key);
            Consumer<K> hook = beforeSend;
            if (hook != null) {
                hook.accept(key);
            }
            CompletableFuture<PushResult> sent = t.client(() -> build(key)).send(deviceToken, notification, options);
            if (attempt >= MAX_RESENDS) {
                return sent;
            }
            if (sent.isDone()) { // a closing client refuses at once: the usual race, handled on this thread
                if (refusedByLetGo(t, sent.handle((r, e) -> e).join())) {
                    continue;
                }
                return sent;
            }
            int next = attempt + 1;
            // Rare: the client was let go and its graceful close ended before a queued notification went out.
            return sent.exceptionallyComposeAsync(
                    e -> refusedByLetGo(t, e)
                            ? send(key, deviceToken, notification, options, next)
                            : CompletableFuture.failedFuture(e),
                    ForkJoinPool.commonPool());
        }
    }

    /** Whether {@code failure} is the refusal of a client this registry let go, never sent: to send again. */
    private boolean refusedByLetGo(Tenant<K> t, Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ClosedException c && c.safeToRetry() && t.retired() && !closed;
    }

    // ------------------------------------------------------------------ looking inside and closing

    /** For tests: {@code hook} runs in {@link #send} after the key's client is taken and before it sends. */
    void beforeSend(Consumer<K> hook) {
        this.beforeSend = hook;
    }

    /** Clients in the registry now (never more than {@link Builder#maxClients}). */
    public int size() {
        return tenants.size();
    }

    /** The keys with a client now. */
    public Set<K> keys() {
        return Set.copyOf(tenants.keySet());
    }

    /** The event loops the clients run on: the registry's own, or those given to the builder. */
    public ApnsResources resources() {
        return resources;
    }

    /** True until closed. */
    public boolean isOpen() {
        return !closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the APNs client registry is closed");
        }
    }

    /**
     * Closes every client at once (notifications not yet answered fail with {@link ClosedException}) and, if the
     * registry made its resources, those too (their threads stop once the clients are gone). Idempotent.
     */
    @Override
    public void close() {
        shutDown(null);
    }

    /**
     * Takes no new notifications, lets every client finish what it has in flight within {@code timeout}, then closes
     * them (and the registry's own resources). Completes when every client has closed.
     */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        return shutDown(Objects.requireNonNull(timeout, "timeout"));
    }

    private CompletableFuture<Void> shutDown(Duration timeout) {
        List<Tenant<K>> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(tenants.values());
            tenants.clear();
            all.forEach(Tenant::retire);
        }
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        CompletableFuture<?>[] closing = all.stream().map(t -> t.close(timeout)).toArray(CompletableFuture[]::new);
        if (ownsResources) {
            resources.close();
        }
        return CompletableFuture.allOf(closing);
    }

    @Override
    public String toString() {
        return "ApnsClientRegistry{" + tenants.size() + "/" + maxClients + " clients" + (closed ? ", closed" : "")
                + "}";
    }

    /** Builds an {@link ApnsClientRegistry}. Not thread-safe. */
    public static final class Builder<K> {
        private final Function<? super K, ApnsClient.Builder> loader;
        private Function<? super K, ?> credentialVersion;
        private Function<? super K, ? extends ApnsListener> listeners;
        private int maxClients = 1000;
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration closeTimeout = Duration.ofSeconds(30);
        private Ticker ticker = Ticker.systemTicker();
        private ApnsResources resources;

        private Builder(Function<? super K, ApnsClient.Builder> loader) {
            this.loader = Objects.requireNonNull(loader, "loader");
        }

        /** Clients kept at most: beyond it the least recently used is closed gracefully (default 1000). */
        public Builder<K> maxClients(int maxClients) {
            if (maxClients < 1) {
                throw new IllegalArgumentException("maxClients must be at least 1, got " + maxClients);
            }
            this.maxClients = maxClients;
            return this;
        }

        /** A client unused this long is closed gracefully (default 30 min); null keeps clients until evicted. */
        public Builder<K> idleTimeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("idleTimeout must be positive (or null for none), got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** How long a client let go may finish what it has in flight before it closes (default 30 s). */
        public Builder<K> closeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, got " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * The credential version of a key (a key file's modification time, a secret's version, ...), read at each
         * {@code client}/{@code send}, so it must be cheap: when it is not equal to the one the client was built with,
         * the client is replaced as by {@link ApnsClientRegistry#refresh}. Default: none.
         */
        public Builder<K> credentialVersion(Function<? super K, ?> version) {
            this.credentialVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * A listener per tenant (for per-tenant metrics or logs), set on each client the registry builds in place of
         * one the loader set. Off by default: a meter set per tenant is a lot of cardinality.
         */
        public Builder<K> listener(Function<? super K, ? extends ApnsListener> listeners) {
            this.listeners = Objects.requireNonNull(listeners, "listeners");
            return this;
        }

        /** The event loops to build the clients on (the caller closes them); default: the registry's own. */
        public Builder<K> resources(ApnsResources resources) {
            this.resources = Objects.requireNonNull(resources, "resources");
            return this;
        }

        /** The ticker idle time is measured by (default the system's; tests use {@code Ticker.newMockTicker()}). */
        public Builder<K> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Builds the registry; clients are built on first use. */
        public ApnsClientRegistry<K> build() {
            return new ApnsClientRegistry<>(this);
        }
    }
}
