package io.aapns.pool;

import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.spi.ApnsListener;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A fixed number of connections to one APNs origin that heals itself and re-sends what may be
 * re-sent until each request's deadline (a port of aapns' {@code Pool}, made exact). Create one
 * with {@link #create(URI, PoolOptions)}, send with {@link #post(Request)} from any thread, and
 * close it with {@link #close()} or {@link #closeGracefully(Duration)}.
 *
 * <p>Delivery: {@code post} completes with the server's answer (any status, after the retries
 * the {@link RetryPolicy} asks for) or fails without one. A request that no connection can take
 * waits in a bounded queue ({@link PoolOptions#maxPending()}; beyond it {@code post} fails at once
 * with {@link BlockedException}) and is dispatched as soon as a stream frees. A request the
 * server certainly did not process (above a GOAWAY's last-stream-id, refused with
 * REFUSED_STREAM, never written) is re-sent on another connection; one lost with its connection
 * is re-sent too and counted in {@link PoolStats#possibleDuplicates()}. When the deadline passes
 * first, the request fails with {@link RequestTimeoutException} saying how many attempts were
 * made and why the last one failed. A GOAWAY whose reason says the credentials are wrong
 * (BadCertificate, BadCertificateEnvironment) closes the whole pool: later {@code post}s fail at
 * once with that reason.
 *
 * <p>Connections: {@code size} are opened at start on one shared event loop group. A dead or
 * draining connection is replaced at once; while the server keeps refusing, attempts back off
 * exponentially with jitter. Failures that cannot pass by themselves (TLS rejected, HTTP/2 not
 * offered, refused at start) close the pool with that cause.
 *
 * <p>Thread-safe; {@code post} never blocks. Futures complete on a connection's event loop:
 * dependent actions must not block.
 */
public final class Pool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    /** GOAWAY reasons that mean the credentials are wrong for this server: reconnecting cannot help. */
    private static final Set<String> CREDENTIAL_REASONS = Set.of("BadCertificate", "BadCertificateEnvironment");

    private enum State { OPEN, DRAINING, CLOSED }

    private final URI origin;
    private final PoolOptions options;
    private final RetryPolicy retryPolicy;
    private final ApnsListener listener;
    private final ConnectionOptions connectionOptions;
    private final EventLoopGroup ownedGroup;
    private final EventExecutor timer;
    private final long defaultTimeoutNanos;

    private final Object lock = new Object();
    private volatile List<Slot> slots = List.of();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<PendingRequest> queue = new ConcurrentLinkedDeque<>();
    private final Set<PendingRequest> sleeping = ConcurrentHashMap.newKeySet();
    private final AtomicInteger queued = new AtomicInteger();
    /** The origin of queued deadlines (nanoTime), and the earliest of them relative to it; see sweepQueue. */
    private final long baseNanos = System.nanoTime();
    private final AtomicLong queuedEarliest = new AtomicLong(Long.MAX_VALUE);
    private static final long MIN_SWEEP_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Walks of the queue so far (written by the timer loop only; read by tests). */
    private volatile long sweepWalks;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder possibleDuplicates = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> retried = new ConcurrentHashMap<>();
    private final CompletableFuture<Pool> started = new CompletableFuture<>();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile State state = State.OPEN;
    private volatile ApnsException closeCause;

    private Pool(URI origin, PoolOptions options) {
        this.origin = Connection.requireOrigin(origin);
        this.options = options;
        this.retryPolicy = options.retryPolicy();
        this.listener = options.connectionOptions().listener();
        this.defaultTimeoutNanos = options.requestTimeout().toNanos();
        ConnectionOptions given = options.connectionOptions();
        EventLoopGroup group = given.eventLoopGroup().orElse(null);
        if (group == null) {
            int threads = Math.max(1, Math.min(options.size(), Runtime.getRuntime().availableProcessors()));
            group = Connection.newEventLoopGroup(threads, "aapns-pool");
            ownedGroup = group;
        } else {
            ownedGroup = null;
        }
        this.timer = group.next();
        this.connectionOptions = given.newBuilder().eventLoopGroup(group).listener(new PoolListener()).build();
    }

    /**
     * Opens a pool of {@code options.size()} connections to {@code origin}. The future completes
     * when the first connection is ready. It fails at once on a failure that cannot pass by
     * itself (TLS rejected, HTTP/2 not offered, connection refused at start with GOAWAY), and
     * after {@link PoolOptions#startTimeout()} if no connection could be opened through failures
     * that may pass; the pool is closed then.
     *
     * @throws IllegalArgumentException if {@code origin} is not {@code https://host[:port]}
     */
    public static CompletableFuture<Pool> create(URI origin, PoolOptions options) {
        return open(origin, options).ready();
    }

    /**
     * Opens a pool like {@link #create} but returns it at once, while its connections open:
     * requests posted before the first one is ready wait in the queue (bounded by
     * {@link PoolOptions#maxPending()}, each until its deadline). {@link #ready()} tells when it
     * is ready or why it closed.
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
     * Completes with this pool when its first connection is ready, or fails with the reason it
     * closed before that (see {@link #create}).
     */
    public CompletableFuture<Pool> ready() {
        return started;
    }

    private void start() {
        resize(options.size());
        long startTimeout = options.startTimeout().toNanos();
        timer.schedule(() -> {
            if (!started.isDone()) {
                Throwable last = lastSlotError();
                ConnectFailedException e = new ConnectFailedException(ConnectFailedException.Kind.CONNECT_TIMEOUT,
                        "no connection to " + origin + " could be opened within " + options.startTimeout()
                                + (last != null ? "; last error: " + last.getMessage() : ""), last);
                shutDown(e);
            }
        }, startTimeout, TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends {@code request} on the connection with the most free streams, or queues it until a
     * stream frees, retrying as the class documentation says until its deadline (its own, or
     * {@link PoolOptions#requestTimeout()} from now). Never blocks; the future carries every
     * failure. A {@code ByteBuf} payload must stay readable until the future completes: the pool
     * may send it more than once.
     */
    public CompletableFuture<Response> post(Request request) {
        Objects.requireNonNull(request, "request");
        ResponseFuture future = new ResponseFuture();
        post(request, future);
        return future;
    }

    /**
     * Sends {@code request} like {@link #post(Request)}, but reports the outcome to
     * {@code callback} instead of a future: exactly once, with the answer and a null failure, or
     * a null answer and the failure. No future and no completion stage is made, which is what a
     * layer on top of the pool (such as {@code ApnsClient}) wants. The callback runs on one of the
     * pool's event loops, or on the calling thread when the request fails at once (pool closed
     * or full), so it must be quick and must not block; one that throws is logged and ignored.
     */
    public void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(callback, "callback");
        long now = System.nanoTime();
        long deadline = request.deadlineNanos(now, defaultTimeoutNanos);
        Request absolute = request.withDeadlineNanos(deadline);
        PendingRequest p = new PendingRequest(this, absolute, callback, now, deadline);
        unfinished.incrementAndGet();
        if (state != State.OPEN) {
            fail(p, notAccepting());
            return;
        }
        dispatch(p, false);
    }

    /** The future {@link #post(Request)} returns, completed by the pool as a callback. */
    private static final class ResponseFuture extends CompletableFuture<Response>
            implements BiConsumer<Response, Throwable> {
        @Override
        public void accept(Response response, Throwable failure) {
            if (failure == null) {
                complete(response);
            } else {
                completeExceptionally(failure);
            }
        }
    }

    private void dispatch(PendingRequest p, boolean retry) {
        if (state == State.CLOSED) {
            fail(p, notAccepting());
            return;
        }
        if (p.expired(System.nanoTime())) {
            failTimeout(p);
            return;
        }
        Member m = reserve();
        if (m != null) {
            send(m, p);
            return;
        }
        if (!retry && queued.incrementAndGet() > options.maxPending()) {
            queued.decrementAndGet();
            fail(p, new BlockedException("the pool is full: " + options.maxPending()
                    + " requests are already waiting for a free stream (PoolOptions.maxPending)", 0));
            return;
        }
        if (retry) {
            queued.incrementAndGet();
        }
        p.state.set(PendingRequest.QUEUED);
        if (retry) {
            queue.addFirst(p);
        } else {
            queue.addLast(p);
        }
        if (!awaitSweep(relative(p, System.nanoTime()))
                && p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
            queue.remove(p);
            queued.decrementAndGet();
            fail(p, notAccepting()); // the pool's event loops are gone: it is closed
            return;
        }
        if (state == State.CLOSED) {
            failQueued(); // shutDown may have emptied the queue just before this request went in
            return;
        }
        drain();
    }

    /** Fails every queued request; each is taken from the queue by exactly one caller (the CAS). */
    private void failQueued() {
        ApnsException failure = notAccepting();
        for (PendingRequest p; (p = queue.pollFirst()) != null; ) {
            if (p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
                queued.decrementAndGet();
                fail(p, failure);
            }
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

    /** Dispatches queued requests while some connection has a free stream. */
    private void drain() {
        while (!queue.isEmpty() && state != State.CLOSED) {
            Member m = reserve();
            if (m == null) {
                return;
            }
            PendingRequest p = queue.pollFirst();
            if (p == null) {
                m.release();
                return;
            }
            if (!p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
                m.release(); // it expired while queued
                continue;
            }
            queued.decrementAndGet();
            if (p.expired(System.nanoTime())) {
                m.release();
                failTimeout(p);
                continue;
            }
            send(m, p);
        }
    }

    /** Reserves a stream on the usable connection with the most free streams. */
    private Member reserve() {
        Member best = null;
        long bestFree = 0;
        for (Slot slot : slots) {
            Member m = slot.member;
            if (m != null && !slot.retired && m.usable()) {
                long free = m.free();
                if (free > bestFree) {
                    best = m;
                    bestFree = free;
                }
            }
        }
        if (best == null) {
            return null;
        }
        if (best.tryReserve()) {
            return best;
        }
        for (Slot slot : slots) { // lost a race for the best one: take any
            Member m = slot.member;
            if (m != null && !slot.retired && m.usable() && m.tryReserve()) {
                return m;
            }
        }
        return null;
    }

    private void send(Member m, PendingRequest p) {
        p.attempts++;
        inFlight.incrementAndGet();
        p.member = m;
        m.connection.post(p.request, p); // p.accept -> attemptEnded
    }

    /** An attempt ended on its connection: free its stream, decide what comes next, refill. */
    void attemptEnded(PendingRequest p, Response response, Throwable error) {
        Member m = p.member;
        p.member = null;
        m.release();
        inFlight.decrementAndGet();
        onAttemptEnded(p, response, error);
        drain();
    }

    private void onAttemptEnded(PendingRequest p, Response response, Throwable error) {
        if (error == null) {
            if (response.status() == 403 && !p.tokenRenewed && state != State.CLOSED
                    && "ExpiredProviderToken".equals(response.reason().orElse(null))) {
                // the connection has dropped the expired token: send once more with a fresh one
                p.tokenRenewed = true;
                p.lastCause = new ApnsException("APNs answered 403 ExpiredProviderToken");
                retrying(p, "ExpiredProviderToken", 0, p.lastCause);
                later(p, () -> dispatch(p, true));
                return;
            }
            if (state != State.CLOSED && retryPolicy.retries(response)) {
                int retry = ++p.statusRetries;
                long delay = retryPolicy.backoffNanos(retry);
                if (System.nanoTime() + delay - p.deadlineNanos < 0) {
                    String cause = response.reason().orElse("status-" + response.status());
                    p.lastCause = new ApnsException("APNs answered " + response.status() + " " + cause);
                    retrying(p, cause, delay, p.lastCause);
                    sleep(p, delay);
                    return;
                }
            }
            succeed(p, response);
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        p.lastCause = cause;
        if (cause instanceof ClosedException closed && state != State.CLOSED) {
            String reason = closed.safeToRetry() ? "unprocessed" : "connection-lost";
            if (!closed.safeToRetry()) {
                possibleDuplicates.increment();
                p.possibleDuplicate = true;
            }
            // The first re-send goes at once (another connection usually takes it); when the same
            // request is lost again and again, re-sends back off so that a failure that repeats
            // (a server resetting every stream, say) does not become a storm.
            int lost = ++p.closedRetries;
            long delay = lost == 1 ? 0 : retryPolicy.backoffNanos(lost - 1);
            retrying(p, reason, delay, cause);
            if (delay == 0) {
                later(p, () -> dispatch(p, true));
            } else {
                sleep(p, delay);
            }
        } else if (cause instanceof BlockedException && state != State.CLOSED) {
            // The connection had no stream after all (the server lowered its limit, or a reset is
            // still being written): wait a back-off rather than spin on it.
            sleep(p, retryPolicy.backoffNanos(1));
        } else if (cause instanceof RequestTimeoutException) {
            failTimeout(p);
        } else {
            fail(p, cause);
        }
    }

    private void sleep(PendingRequest p, long delayNanos) {
        if (System.nanoTime() + delayNanos - p.deadlineNanos >= 0) {
            failTimeout(p); // the back-off would end past the deadline
            return;
        }
        p.state.set(PendingRequest.SLEEPING);
        sleeping.add(p);
        try {
            p.timer = timer.schedule(() -> {
                if (p.state.compareAndSet(PendingRequest.SLEEPING, PendingRequest.ACTIVE)) {
                    sleeping.remove(p);
                    dispatch(p, true);
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            wakeAndFail(p);
            return;
        }
        if (state == State.CLOSED) {
            wakeAndFail(p);
        }
    }

    // ------------------------------------------------------------------ deadlines of queued requests

    /** How many times the queue has been walked for expired deadlines (for tests). */
    long sweepWalks() {
        return sweepWalks;
    }

    /*
     * Queued requests have no timer each (a timer per request cost a task object and two hand-overs
     * to the timer loop, and ~5 % of the CPU in a burst). Instead one sweep walks the queue when the
     * earliest queued deadline comes, fails what has expired, and sets itself for the next earliest.
     * queuedEarliest holds that deadline (relative to baseNanos, so that Long.MAX_VALUE can mean
     * none); whoever lowers it schedules a sweep for it, so a sweep is always due no later than
     * the earliest queued deadline (plus the slack below). A sweep carries the deadline it was
     * set for and runs only if that is still the earliest (a CAS to "none"); otherwise a sweep
     * for a lower one was set since, and walks instead. After the reset, a request queued while
     * the sweep walks is either seen by the walk or lowers the value again itself.
     */

    /**
     * {@code p}'s deadline relative to baseNanos, computed from the time left so that no deadline
     * (one far away given as an absolute nanoTime, say) can overflow; capped at about 73 years.
     */
    private long relative(PendingRequest p, long nowNanos) {
        return nowNanos - baseNanos + Math.min(Math.max(p.deadlineNanos - nowNanos, 0), Long.MAX_VALUE / 4);
    }

    /**
     * Makes sure a sweep is due by {@code relativeDeadline} (nanoTime - baseNanos); false if
     * the pool's event loops are gone, so that none can be.
     */
    private boolean awaitSweep(long relativeDeadline) {
        for (long current; relativeDeadline < (current = queuedEarliest.get()); ) {
            if (queuedEarliest.compareAndSet(current, relativeDeadline)) {
                long delay = relativeDeadline - (System.nanoTime() - baseNanos);
                try {
                    timer.schedule(() -> sweepQueue(relativeDeadline), Math.max(0, delay), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopped) {
                    queuedEarliest.set(Long.MIN_VALUE); // never lowered again: every later call fails too
                    return false;
                }
                return true;
            }
        }
        return queuedEarliest.get() != Long.MIN_VALUE;
    }

    /** Fails the queued requests whose deadline has passed; then waits for the next earliest. */
    private void sweepQueue(long target) {
        if (!queuedEarliest.compareAndSet(target, Long.MAX_VALUE)) {
            // Someone lowered the earliest deadline after this sweep was set, and set a sweep for
            // it, which walks the queue and sets the next; this one is stale. (Without this, each
            // lowering would start a chain of sweeps of its own for as long as the queue lasts.)
            return;
        }
        sweepWalks++;
        long now = System.nanoTime();
        long earliest = Long.MAX_VALUE;
        for (Iterator<PendingRequest> it = queue.iterator(); it.hasNext(); ) {
            PendingRequest p = it.next();
            if (p.state.get() != PendingRequest.QUEUED) {
                continue;
            }
            if (p.expired(now)) {
                if (p.state.compareAndSet(PendingRequest.QUEUED, PendingRequest.ACTIVE)) {
                    it.remove();
                    queued.decrementAndGet();
                    failTimeout(p);
                }
            } else {
                earliest = Math.min(earliest, relative(p, now));
            }
        }
        if (earliest != Long.MAX_VALUE) {
            // Not sooner than a slack that grows with the queue, so that a long queue whose
            // deadlines are spread out (a stalled server) is not walked over and over: a walk
            // costs a few ns per request, and at most one per slack keeps it to a few percent of
            // a core; a request then fails at most that much after its deadline.
            long slack = Math.max(MIN_SWEEP_SLACK_NANOS, 200L * queued.get());
            awaitSweep(Math.max(earliest, now - baseNanos + slack));
        }
    }

    private void succeed(PendingRequest p, Response response) {
        if (p.state.getAndSet(PendingRequest.DONE) != PendingRequest.DONE) {
            completed.increment(); // counted before the caller can see the answer
            ended();
            completed(p, response, null);
            tell(p, response, null);
        }
    }

    private void failTimeout(PendingRequest p) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - p.startNanos);
        Throwable last = p.lastCause;
        RequestTimeoutException e = new RequestTimeoutException("the request's deadline passed after " + p.attempts
                + " attempt(s) in " + elapsedMs + " ms"
                + (last != null ? "; last cause: " + last.getMessage() : "; no connection was free"),
                p.attempts > 0);
        if (last != null) {
            e.initCause(last);
        }
        fail(p, e);
    }

    private void fail(PendingRequest p, Throwable cause) {
        if (p.state.getAndSet(PendingRequest.DONE) != PendingRequest.DONE) {
            failed.increment(); // counted before the caller can see the failure
            ended();
            completed(p, null, cause);
            tell(p, null, cause);
        }
    }

    private static void tell(PendingRequest p, Response response, Throwable cause) {
        try {
            p.done.accept(response, cause);
        } catch (Throwable e) { // as a CompletableFuture stage would: the pool's bookkeeping goes on
            log.warn("a Pool.post callback threw; ignored", e);
        }
    }

    private void ended() {
        if (unfinished.decrementAndGet() == 0 && state == State.DRAINING) {
            drained.complete(null);
        }
    }

    /** Counts a re-send by its reason and tells the listener. */
    private void retrying(PendingRequest p, String reason, long delayNanos, Throwable cause) {
        retried.computeIfAbsent(reason, c -> new LongAdder()).increment();
        try {
            listener.requestRetried(p.request, p.attempts, Duration.ofNanos(delayNanos), reason, cause);
        } catch (RuntimeException e) {
            log.warn("ApnsListener.requestRetried threw", e);
        }
    }

    private void completed(PendingRequest p, Response response, Throwable cause) {
        try {
            listener.requestCompleted(p.request, response, cause, p.attempts, System.nanoTime() - p.startNanos);
        } catch (RuntimeException e) {
            log.warn("ApnsListener.requestCompleted threw", e);
        }
    }

    private ApnsException notAccepting() {
        ApnsException cause = closeCause;
        if (cause != null) {
            return new ClosedException("the pool is closed: " + cause.getMessage(), true, cause);
        }
        return new ClosedException(state == State.DRAINING ? "the pool is closing and takes no new requests"
                : "the pool is closed", true);
    }

    // ------------------------------------------------------------------ connections

    /**
     * Changes the number of connections: growing opens the new ones at once; shrinking retires
     * the last ones, which finish their requests in flight (up to the request deadline) and then
     * close. Queued requests move to the remaining connections.
     */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, got " + size);
        }
        List<Slot> opened = new ArrayList<>();
        List<Slot> retiredSlots = new ArrayList<>();
        synchronized (lock) {
            if (state == State.CLOSED) {
                throw notAccepting();
            }
            List<Slot> current = new ArrayList<>(slots);
            while (current.size() < size) {
                Slot slot = new Slot(current.size());
                current.add(slot);
                opened.add(slot);
            }
            while (current.size() > size) {
                Slot slot = current.remove(current.size() - 1);
                slot.retired = true;
                retiredSlots.add(slot);
            }
            slots = List.copyOf(current);
        }
        for (Slot slot : retiredSlots) {
            Member m = slot.member;
            slot.member = null;
            if (m != null) {
                m.connection.closeGracefully(options.requestTimeout());
            }
        }
        for (Slot slot : opened) {
            open(slot);
        }
    }

    private void open(Slot slot) {
        if (state == State.CLOSED || slot.retired) {
            return;
        }
        Connection.connect(origin, connectionOptions).whenComplete((connection, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                onConnectFailed(slot, cause);
            } else {
                onConnected(slot, connection);
            }
        });
    }

    private void onConnected(Slot slot, Connection connection) {
        if (state == State.CLOSED || slot.retired) {
            connection.close();
            return;
        }
        Member m = new Member(slot, connection);
        members.add(m);
        slot.member = m;
        if (slot.retired) { // a resize retired the slot while this connection was opening
            slot.member = null;
            members.remove(m);
            connection.closeGracefully(options.requestTimeout());
            return;
        }
        connection.closeFuture().whenComplete((v, e) -> onClosed(m));
        if (connection.state() != ConnectionState.ACTIVE) {
            return; // closed or draining already: onClosed or onGoAway deals with it
        }
        started.complete(this);
        if (state == State.CLOSED) {
            connection.close();
            return;
        }
        timer.execute(this::drain);
    }

    private void onConnectFailed(Slot slot, Throwable cause) {
        slot.error(cause);
        if (cause instanceof ConnectFailedException failure && !failure.retryable() && !started.isDone()) {
            // At start a failure that cannot pass (TLS rejected, no HTTP/2) means the configuration
            // is wrong: say so at once. Once the pool has worked, the same failure on a reconnect
            // may be the server's passing trouble: back off and keep trying; health shows the
            // error. (Credentials refused with GOAWAY close the pool in onGoAway either way.)
            shutDown(failure);
            return;
        }
        scheduleReconnect(slot);
    }

    private void scheduleReconnect(Slot slot) {
        if (state == State.CLOSED || slot.retired) {
            return;
        }
        int failures = ++slot.failures;
        long delay = retryPolicy.backoffNanos(failures);
        log.debug("reconnecting slot {} to {} in {} ms", slot.index, origin, TimeUnit.NANOSECONDS.toMillis(delay));
        timer.schedule(() -> open(slot), delay, TimeUnit.NANOSECONDS);
    }

    private void onClosed(Member m) {
        members.remove(m);
        Slot slot = m.slot;
        m.connection.lastError().ifPresent(slot::error);
        if (slot.member == m) {
            slot.member = null;
            replace(m);
        }
        if (state == State.CLOSED && members.isEmpty()) {
            terminate();
        }
    }

    private void onGoAway(Connection connection, String reason) {
        if (reason != null && CREDENTIAL_REASONS.contains(reason)) {
            shutDown(new ClosedException("APNs refused this client's credentials (" + reason + "): check the "
                    + "certificate or key and that it belongs to this environment", false));
            return;
        }
        for (Member m : members) {
            if (m.connection == connection && m.slot.member == m) {
                m.slot.member = null;
                replace(m);
            }
        }
    }

    /** Opens a successor for a member that closed or drains: at once if it served, after a back-off if not. */
    private void replace(Member m) {
        Slot slot = m.slot;
        if (state == State.CLOSED || slot.retired) {
            return;
        }
        // A connection that answered, or whose GOAWAY owned up to streams it will answer, or that
        // lived a while, served: its successor opens at once. One that went away without serving
        // counts as a failed attempt, so a server that keeps doing that is met with back-off.
        boolean served = m.connection.answeredCount() > 0
                || m.connection.goAwayLastStreamId().orElse(0) > 0
                || System.nanoTime() - m.openedNanos > TimeUnit.SECONDS.toNanos(1);
        if (served) {
            slot.failures = 0;
            open(slot);
        } else {
            scheduleReconnect(slot);
        }
    }

    private Throwable lastSlotError() {
        for (Slot slot : slots) {
            if (slot.lastError != null) {
                return slot.lastError;
            }
        }
        return null;
    }

    /** Relays connection events to the user's listener and tells the pool about GOAWAY. */
    private final class PoolListener implements ApnsListener {
        @Override
        public void connectionOpened(Connection connection) {
            listener.connectionOpened(connection);
        }

        @Override
        public void connectionFailed(URI origin, Throwable cause) {
            listener.connectionFailed(origin, cause);
        }

        @Override
        public void connectionClosed(Connection connection, Throwable cause) {
            listener.connectionClosed(connection, cause);
        }

        @Override
        public void goAwayReceived(Connection connection, int lastStreamId, String reason) {
            try {
                listener.goAwayReceived(connection, lastStreamId, reason);
            } finally {
                onGoAway(connection, reason);
            }
        }

        @Override
        public boolean wantsRequestEvents() {
            return listener.wantsRequestEvents();
        }

        @Override
        public void requestSent(Connection connection, Request request) {
            listener.requestSent(connection, request);
        }

        @Override
        public void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {
            listener.requestAnswered(connection, request, response, elapsedNanos);
        }

        @Override
        public void requestFailed(Connection connection, Request request, Throwable cause, long elapsedNanos) {
            listener.requestFailed(connection, request, cause, elapsedNanos);
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes at once: queued and sleeping requests fail with {@link ClosedException} (safe to
     * retry: never sent), requests in flight fail as their connections close. Idempotent.
     */
    @Override
    public void close() {
        shutDown(null);
    }

    /**
     * Stops taking new requests, lets queued and in-flight requests finish (retries included)
     * within {@code timeout}, then closes. Idempotent; the future completes when the pool is
     * closed.
     */
    public CompletableFuture<Void> closeGracefully(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        synchronized (lock) {
            if (state == State.OPEN) {
                state = State.DRAINING;
                if (unfinished.get() == 0) {
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

    /** Closes the pool; with a cause, posts fail fast with it and creation fails with it. */
    private void shutDown(ApnsException cause) {
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
        ApnsException failure = notAccepting();
        started.completeExceptionally(cause != null ? cause : failure);
        drained.complete(null);
        failQueued();
        for (PendingRequest p : List.copyOf(sleeping)) {
            wakeAndFail(p);
        }
        for (Member m : List.copyOf(members)) {
            m.connection.close();
        }
        if (members.isEmpty()) {
            terminate();
        }
    }

    private void wakeAndFail(PendingRequest p) {
        if (p.state.compareAndSet(PendingRequest.SLEEPING, PendingRequest.ACTIVE)) {
            sleeping.remove(p);
            p.cancelTimer();
            fail(p, notAccepting());
        }
    }

    private void terminate() {
        if (terminated.isDone()) {
            return;
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS)
                    .addListener(f -> terminated.complete(null));
        } else {
            terminated.complete(null);
        }
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
        return state != State.CLOSED;
    }

    /** Why the pool closed itself (credentials refused, ...), if it did. */
    public Optional<ApnsException> closeCause() {
        return Optional.ofNullable(closeCause);
    }

    /** Completes when the pool is closed and its connections are gone. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /** The pool's counters now. */
    public PoolStats stats() {
        Map<ConnectionState, Integer> byState = new EnumMap<>(ConnectionState.class);
        for (ConnectionSnapshot c : connections()) {
            byState.merge(c.state(), 1, Integer::sum);
        }
        Map<String, Long> retries = new TreeMap<>();
        retried.forEach((cause, count) -> retries.put(cause, count.sum()));
        return new PoolStats(Collections.unmodifiableMap(byState), inFlight.get(), queued.get() + sleeping.size(),
                completed.sum(), failed.sum(), Collections.unmodifiableMap(retries), possibleDuplicates.sum());
    }

    /**
     * One snapshot per connection: each slot's current connection (or CONNECTING with its last
     * error while it waits for one), then connections still draining after they were replaced.
     */
    public List<ConnectionSnapshot> connections() {
        List<ConnectionSnapshot> list = new ArrayList<>();
        List<Member> draining = new ArrayList<>(members);
        for (Slot slot : slots) {
            Member m = slot.member;
            if (m != null) {
                draining.remove(m);
                list.add(snapshot(slot, m.connection));
            } else {
                list.add(new ConnectionSnapshot(slot.index, state == State.CLOSED ? ConnectionState.CLOSED
                        : ConnectionState.CONNECTING, 0, 0, 0, 0, 0, Optional.empty(),
                        Optional.ofNullable(slot.lastError).map(Throwable::getMessage), Optional.empty()));
            }
        }
        for (Member m : draining) {
            list.add(snapshot(m.slot, m.connection));
        }
        return list;
    }

    private static ConnectionSnapshot snapshot(Slot slot, Connection c) {
        return new ConnectionSnapshot(slot.index, c.state(), c.inFlight(), c.maxConcurrentStreams(), c.sentCount(),
                c.answeredCount(), c.failedCount(), c.connectedSince(),
                c.lastError().or(() -> Optional.ofNullable(slot.lastError)).map(Throwable::getMessage),
                c.goAwayReason());
    }

    @Override
    public String toString() {
        return "Pool{" + origin + ", " + state + ", " + slots.size() + " slots, " + stats() + "}";
    }
}
