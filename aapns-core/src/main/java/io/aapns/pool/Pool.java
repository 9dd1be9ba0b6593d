package io.aapns.pool;

import io.aapns.connection.ApnsResources;
import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionEvents;
import io.aapns.connection.ConnectionListener;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.spi.ApnsListener;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of connections to one APNs origin that heals itself and re-sends what may be re-sent until each
 * request's deadline (a port of aapns' {@code Pool}, made exact). Create one with {@link #create(URI, PoolOptions)},
 * send with {@link #post(Request)} from any thread, and close it with {@link #close()} or
 * {@link #closeGracefully(Duration)}.
 *
 * <p>Delivery: {@code post} completes with the server's answer (any status, after the retries the {@link RetryPolicy}
 * asks for) or fails without one. A request that no connection can take waits in a bounded queue
 * ({@link PoolOptions#maxPending()}; beyond it {@code post} fails at once with {@link BlockedException}) and is
 * dispatched as soon as a stream frees. A request the server certainly did not process (above a GOAWAY's
 * last-stream-id, refused with REFUSED_STREAM, not sent whole) is re-sent on another connection until its deadline. One
 * that the server may have processed without answering (lost with its connection after it went out whole, or unanswered
 * within {@link PoolOptions#attemptTimeout()}) is re-sent at most {@link PoolOptions#maxUnsafeRetries()} times, counted
 * in {@link PoolStats#possibleDuplicates()}; after that it fails with an exception whose
 * {@link ApnsException#possiblyDelivered()} is true. An answer, even one followed by a reset, is never re-sent except
 * as the policy says (429, 500, 503, ExpiredProviderToken once). When the deadline passes first, the request fails with
 * {@link RequestTimeoutException} saying how many attempts were made and why the last one failed. A GOAWAY whose reason
 * says the credentials are wrong (BadCertificate, BadCertificateEnvironment) closes the whole pool: later {@code post}s
 * fail at once with that reason. The rules are in one place, {@code DeliveryRules}.
 *
 * <p>Connections: {@code size} are opened at start on one shared event loop group. A dead, draining or repeatedly
 * failing connection is replaced; while the server keeps refusing, attempts back off exponentially with jitter, for as
 * long as the pool is open. A certificate the server rejects at start closes the pool with that cause; after start it
 * fails the queued requests at once while no connection is usable.
 *
 * <p>Thread-safe; {@code post} never blocks. Futures complete on a connection's event loop: dependent actions must not
 * block.
 */
public final class Pool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    /** GOAWAY reasons that mean the credentials are wrong for this server: reconnecting cannot help. */
    private static final Set<String> CREDENTIAL_REASONS = Set.of("BadCertificate", "BadCertificateEnvironment");

    private final URI origin;
    private final PoolOptions options;
    private final DeliveryRules rules;
    private final ApnsListener listener;
    private final EventLoopGroup ownedGroup;
    private final EventExecutor timer;
    private final long defaultTimeoutNanos;
    private final long attemptTimeoutNanos;
    private final ConnectionSlots slots;
    private final PendingQueue queue;
    private final Backoffs backoffs;

    /** Guards {@link #lastRoll}. */
    private final Object rolls = new Object();
    /** The last certificate roll asked for: the next one starts when it has ended. */
    private CompletableFuture<Void> lastRoll = CompletableFuture.completedFuture(null);

    private final PoolCounters counters = new PoolCounters();
    private final PoolLifecycle life;
    /** While no connection is usable after a connect failure that will not pass by itself: why. */
    private volatile ApnsException unavailable;

    private Pool(URI origin, PoolOptions options) {
        this.origin = Connection.requireOrigin(origin);
        this.options = options;
        this.rules = new DeliveryRules(options.retryPolicy(), options.maxUnsafeRetries());
        this.listener = options.listener();
        this.defaultTimeoutNanos = options.requestTimeout().toNanos();
        this.attemptTimeoutNanos = options.attemptTimeout().toNanos();
        ConnectionOptions given = options.connectionOptions();
        EventLoopGroup group = given.eventLoopGroup().orElse(null);
        if (group == null) {
            int threads =
                    Math.max(1, Math.min(options.size(), Runtime.getRuntime().availableProcessors()));
            group = Connection.newEventLoopGroup(threads, "aapns-pool");
            ownedGroup = group;
        } else {
            ownedGroup = null;
        }
        this.timer = group.next();
        this.life = new PoolLifecycle(this.origin, timer, counters.unfinished::get, this::closeAll);
        Reactions reactions = new Reactions();
        ConnectionOptions.Builder connectionOptions =
                given.newBuilder().eventLoopGroup(group).events(reactions);
        if (given.listener() == ConnectionListener.NONE) {
            connectionOptions.listener(listener); // a listener set only on the pool sees its connections too
        }
        this.slots = new ConnectionSlots(
                this.origin,
                connectionOptions.build(),
                options.retryPolicy(),
                options.requestTimeout(),
                timer,
                reactions);
        this.queue = new PendingQueue(options.maxPending(), timer, System::nanoTime, this::failTimeout);
        this.backoffs = new Backoffs(timer);
    }

    /**
     * Opens a pool of {@code options.size()} connections to {@code origin}. The future completes when the first
     * connection is ready. It fails at once when the configuration is wrong (the server rejects the certificate, does
     * not speak HTTP/2, or refuses the credentials with GOAWAY); the pool is closed then. It fails after
     * {@link PoolOptions#startTimeout()} if no connection could be opened through failures that may pass; the pool then
     * keeps trying (unless {@link PoolOptions#closeOnStartTimeout()} says to close it).
     *
     * @throws IllegalArgumentException if {@code origin} is not {@code https://host[:port]}
     */
    public static CompletableFuture<Pool> create(URI origin, PoolOptions options) {
        return open(origin, options).ready();
    }

    /**
     * Opens a pool like {@link #create} but returns it at once, while its connections open: requests posted before the
     * first one is ready wait in the queue (bounded by {@link PoolOptions#maxPending()}, each until its deadline).
     * {@link #ready()} tells when it is ready or why it is not.
     *
     * @throws IllegalArgumentException if {@code origin} is not {@code https://host[:port]}
     */
    public static Pool open(URI origin, PoolOptions options) {
        Objects.requireNonNull(options, "options");
        Pool pool = new Pool(origin, options);
        pool.start();
        return pool;
    }

    /**
     * Opens a pool on event loops leased from shared {@link ApnsResources} (the options' connection options name the
     * lease's group) and returns the lease once the pool has terminated, or at once if it cannot be opened. With a
     * {@code null} lease, the same as {@link #open(URI, PoolOptions)}.
     */
    public static Pool open(URI origin, PoolOptions options, ApnsResources.Lease lease) {
        if (lease == null) {
            return open(origin, options);
        }
        try {
            Pool pool = open(origin, options);
            pool.terminationFuture().whenComplete((done, failure) -> lease.close());
            return pool;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * Completes with this pool when its first connection is ready, or fails with the reason it is not (see
     * {@link #create}).
     */
    public CompletableFuture<Pool> ready() {
        return life.ready();
    }

    private void start() {
        slots.resize(options.size());
        life.startTimer(options.startTimeout(), options.closeOnStartTimeout(), slots::lastError);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends {@code request} on the connection with the most free streams, or queues it until a stream frees, retrying
     * as the class documentation says until its deadline (its own, or {@link PoolOptions#requestTimeout()} from now).
     * Never blocks; the future carries every failure. A {@code ByteBuf} payload must stay readable until the future
     * completes: the pool may send it more than once.
     */
    public CompletableFuture<Response> post(Request request) {
        Objects.requireNonNull(request, "request");
        PoolResponseFuture future = new PoolResponseFuture();
        post(request, future);
        return future;
    }

    /**
     * Sends {@code request} like {@link #post(Request)}, but reports the outcome to {@code callback} instead of a
     * future: exactly once, with the answer and a null failure, or a null answer and the failure. No future and no
     * completion stage is made, which is what a layer on top of the pool (such as {@code ApnsClient}) wants. The
     * callback runs on one of the pool's event loops, or on the calling thread when the request fails at once (pool
     * closed or full), so it must be quick and must not block; one that throws is logged and ignored.
     */
    public void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callback, "callback");
        long now = System.nanoTime();
        long deadline = request.deadlineNanos(now, defaultTimeoutNanos);
        PendingRequest p = new PendingRequest(this, request, callback, now, deadline);
        counters.unfinished.incrementAndGet();
        if (!life.accepting()) {
            fail(p, notAccepting());
            return;
        }
        dispatch(p, false);
    }

    private void dispatch(PendingRequest p, boolean resend) {
        if (life.isClosed()) {
            fail(p, notAccepting());
            return;
        }
        if (p.expired(System.nanoTime())) {
            failTimeout(p);
            return;
        }
        Member m = slots.reserve();
        if (m != null) {
            send(m, p);
            return;
        }
        ApnsException down = unavailable;
        if (down != null) {
            fail(
                    p,
                    new ClosedException(
                            "no connection to " + origin + " can be opened: " + down.getMessage(), true, down));
            return;
        }
        switch (queue.offer(p, resend)) {
            case FULL -> {
                fail(
                        p,
                        new BlockedException(
                                "the pool is full: " + options.maxPending()
                                        + " requests are already waiting for a free stream (PoolOptions.maxPending)",
                                0));
                return;
            }
            case STOPPED -> {
                fail(p, notAccepting()); // the pool's event loops are gone: it is closed
                return;
            }
            case NONE -> {}
        }
        if (life.isClosed()) {
            queue.failAll(this::failClosed); // shutDown may have emptied the queue just before this request went in
            return;
        }
        drain();
    }

    /** Dispatches queued requests while some connection has a free stream. */
    private void drain() {
        while (!queue.isEmpty() && !life.isClosed()) {
            Member m = slots.reserve();
            if (m == null) {
                return;
            }
            PendingRequest p = queue.poll();
            if (p == null) {
                m.release();
                return;
            }
            if (p.expired(System.nanoTime())) {
                m.release();
                failTimeout(p);
                continue;
            }
            send(m, p);
        }
    }

    private void send(Member m, PendingRequest p) {
        p.attempts++;
        counters.inFlight.incrementAndGet();
        p.member = m;
        // Each attempt has its own deadline, so that one lost on a half-open connection is found
        // out in time to try another; the request's own deadline bounds them all.
        long attemptDeadline = System.nanoTime() + attemptTimeoutNanos;
        long deadline = attemptDeadline - p.deadlineNanos < 0 ? attemptDeadline : p.deadlineNanos;
        m.connection.post(p.request, deadline, p); // p.accept -> attemptEnded
    }

    /** An attempt ended on its connection: free its stream, decide what comes next, refill. */
    void attemptEnded(PendingRequest p, Response response, Throwable error) {
        Member m = p.member;
        p.member = null;
        m.release();
        counters.inFlight.decrementAndGet();
        boolean failure =
                error != null ? !(error instanceof BlockedException) && !isLocal(error) : response.status() >= 500;
        if (m.countEnd(failure, options.replaceAfterFailures())) {
            slots.recycle(m);
        }
        boolean drained = error != null && m.connection.goAwayLastStreamId().orElse(0) > 0;
        DeliveryRules.Decision d = rules.decide(p, response, error, drained, !life.isClosed(), System.nanoTime());
        if (error != null) {
            p.lastCause = error;
        }
        switch (d.action()) {
            case COMPLETE -> succeed(p, response);
            case FAIL -> fail(p, d.failure());
            case FAIL_TIMEOUT -> failTimeout(p);
            case FAIL_CLOSED -> fail(p, notAccepting());
            case RESEND -> resend(p, d, response);
        }
        drain();
    }

    /** A failure of the request itself (it cannot be encoded, say), which says nothing of the connection. */
    private static boolean isLocal(Throwable error) {
        return !(error instanceof ClosedException) && !(error instanceof RequestTimeoutException);
    }

    private void resend(PendingRequest p, DeliveryRules.Decision d, Response response) {
        p.count(d.counter());
        if (d.possibleDuplicate()) {
            counters.possibleDuplicates.increment();
        }
        if (response != null) {
            p.lastCause = new ApnsException("APNs answered " + response.status() + " " + d.reason());
        }
        counters.retried(d.reason());
        p.retried(listener, d.reason(), d.delayNanos());
        if (d.delayNanos() == 0) {
            later(p, () -> dispatch(p, true));
        } else {
            sleep(p, d.delayNanos());
        }
    }

    /** Runs {@code task} on the pool's timer loop; if the loop is gone, the pool is closed: fail. */
    private void later(PendingRequest p, Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException stopped) {
            fail(p, notAccepting());
        }
    }

    private void sleep(PendingRequest p, long delayNanos) {
        if (!backoffs.sleep(p, delayNanos, () -> dispatch(p, true)) || life.isClosed()) {
            backoffs.wake(p, this::failClosed);
        }
    }

    /** How many times the queue has been walked for expired deadlines (for tests). */
    long sweepWalks() {
        return queue.walks();
    }

    // ------------------------------------------------------------------ endings

    private void succeed(PendingRequest p, Response response) {
        if (p.end()) {
            counters.completed.increment(); // counted before the caller can see the answer
            ended();
            p.completed(listener, response, null);
            p.tell(response, null);
        }
    }

    private void failTimeout(PendingRequest p) {
        fail(p, p.timedOut(System.nanoTime()));
    }

    private void failClosed(PendingRequest p) {
        fail(p, notAccepting());
    }

    private void fail(PendingRequest p, Throwable cause) {
        if (p.end()) {
            counters.failed.increment(); // counted before the caller can see the failure
            ended();
            p.completed(listener, null, cause);
            p.tell(null, cause);
        }
    }

    private void ended() {
        life.requestEnded(counters.unfinished.decrementAndGet());
    }

    private ApnsException notAccepting() {
        return life.notAccepting();
    }

    // ------------------------------------------------------------------ connections

    /**
     * Changes the number of connections: growing opens the new ones at once; shrinking retires the last ones, which
     * finish their requests in flight (up to the request deadline) and then close. Queued requests move to the
     * remaining connections.
     */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        life.whileNotClosed(() -> slots.resize(size));
    }

    /**
     * Moves every connection onto {@code sslContext} (a new TLS client certificate), one at a time and losing nothing:
     * a first connection with it proves it (if it cannot be opened, nothing changes and the future fails with why);
     * then each old connection is replaced by a new one and drains as after a GOAWAY (no new streams, those in flight
     * finish; requests it had not sent whole go elsewhere), the next one once it has closed. Connections opened from
     * then on use the new context. The future completes when no old connection is left. Rolls run one after the other.
     */
    public CompletableFuture<Void> replaceSslContext(SslContext sslContext) {
        Objects.requireNonNull(sslContext, "sslContext");
        synchronized (rolls) {
            CompletableFuture<Void> roll = lastRoll.handle((v, e) -> null).thenCompose(v -> {
                if (life.isClosed()) {
                    return CompletableFuture.failedFuture(notAccepting());
                }
                ConnectionOptions next = slots.generation()
                        .options()
                        .newBuilder()
                        .sslContext(sslContext)
                        .build();
                return ConnectionRoll.start(slots, next, timer, life::isClosed);
            });
            lastRoll = roll;
            return roll;
        }
    }

    /** What the pool does when its slots and its connections report. */
    private final class Reactions implements ConnectionSlots.Owner, ConnectionEvents {
        @Override
        public boolean closed() {
            return life.isClosed();
        }

        @Override
        public void connectionReady() {
            unavailable = null;
            life.started(Pool.this);
            timer.execute(Pool.this::drain);
        }

        @Override
        public void connectFailed(Throwable cause) {
            if (!(cause instanceof ConnectFailedException failure)) {
                return;
            }
            if (!life.startDecided() && failure.isConfigurationProblem()) {
                // At start, a certificate the server rejects, or a server without HTTP/2, means the
                // configuration is wrong: say so at once. A refused or reset connection may pass.
                life.shutDown(failure);
                return;
            }
            if (!failure.retryable() && !slots.anyUsable()) {
                // After start the same failure may be the server's passing trouble: keep trying
                // with back-off, but do not let requests wait out their deadlines meanwhile.
                unavailable = failure;
                ApnsException down = new ClosedException(
                        "no connection to " + origin + " can be opened: " + failure.getMessage(), true, failure);
                queue.failAll(p -> fail(p, down));
            }
        }

        @Override
        public void allClosed() {
            life.terminate(ownedGroup);
        }

        @Override
        public void goAwayReceived(Connection connection, int lastStreamId, String reason) {
            if (reason != null && CREDENTIAL_REASONS.contains(reason)) {
                life.shutDown(new ClosedException(
                        "APNs refused this client's credentials (" + reason + "): check the "
                                + "certificate or key and that it belongs to this environment",
                        false));
                return;
            }
            slots.goAway(connection);
        }

        @Override
        public void capacityIncreased(Connection connection) {
            drain();
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes at once: queued and sleeping requests fail with {@link ClosedException} (safe to retry: never sent),
     * requests in flight fail as their connections close. Idempotent.
     */
    @Override
    public void close() {
        life.shutDown(null);
    }

    /** What closing does, once: queued and sleeping requests fail, connections close. */
    private void closeAll() {
        queue.failAll(this::failClosed);
        backoffs.wakeAll(this::failClosed);
        slots.closeAll();
    }

    /**
     * Stops taking new requests, lets queued and in-flight requests finish (retries included) within {@code timeout},
     * then closes. Idempotent; the future completes when the pool is closed.
     */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return life.closeGracefully(timeout);
    }

    // ------------------------------------------------------------------ looking inside

    /** The origin this pool connects to. */
    public URI origin() {
        return origin;
    }

    /** The options this pool was created with. */
    public PoolOptions options() {
        return options;
    }

    /** True until the pool is closed (also while it drains for a graceful close). */
    public boolean isOpen() {
        return !life.isClosed();
    }

    /** Why the pool closed itself (credentials refused, ...), if it did. */
    public Optional<ApnsException> closeCause() {
        return life.closeCause();
    }

    /** Completes when the pool is closed and its connections are gone. */
    public CompletableFuture<Void> terminationFuture() {
        return life.terminationFuture();
    }

    /** The pool's counters now. */
    public PoolStats stats() {
        return counters.stats(slots.countByState(life.isClosed()), queue.size() + backoffs.size());
    }

    /**
     * One snapshot per connection: each slot's current connection (or CONNECTING with its last error while it waits for
     * one), then connections still draining after they were replaced.
     */
    public List<ConnectionSnapshot> connections() {
        return slots.snapshots(life.isClosed());
    }

    @Override
    public String toString() {
        return "Pool{" + origin + ", " + life + ", " + slots.size() + " slots, " + stats() + "}";
    }
}
