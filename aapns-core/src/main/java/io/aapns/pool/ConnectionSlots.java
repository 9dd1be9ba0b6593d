package io.aapns.pool;

import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.ConnectionState;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's connections: one slot per connection it keeps, each filled by a {@link Member} or waiting for one to open.
 * It opens connections, replaces those that close, drain (GOAWAY) or keep failing, backs off while the server refuses,
 * resizes, and picks the connection for a request. Thread-safe; what the pool must decide (start, give up, drain its
 * queue) goes to its {@link Owner}.
 */
final class ConnectionSlots {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    /** What the slots tell the pool. */
    interface Owner {
        /** Whether the pool is closed: open nothing more. */
        boolean closed();

        /** A connection is ready: the pool has started, and its queue may move. */
        void connectionReady();

        /** A connection could not be opened ({@code cause} unwrapped). */
        void connectFailed(Throwable cause);

        /** The pool is closed and its last connection is gone. */
        void allClosed();
    }

    /** Connection options with a number: a certificate roll makes a new generation, and rolls the older ones out. */
    record Generation(int number, ConnectionOptions options) {}

    private final URI origin;
    private volatile Generation generation;
    private final RetryPolicy retryPolicy;
    private final Duration drainTimeout;
    private final EventExecutor timer;
    private final Owner owner;
    private final Object lock = new Object();
    private volatile List<Slot> slots = List.of();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();

    ConnectionSlots(
            URI origin,
            ConnectionOptions connectionOptions,
            RetryPolicy retryPolicy,
            Duration drainTimeout,
            EventExecutor timer,
            Owner owner) {
        this.origin = origin;
        this.generation = new Generation(0, connectionOptions);
        this.retryPolicy = retryPolicy;
        this.drainTimeout = drainTimeout;
        this.timer = timer;
        this.owner = owner;
    }

    int size() {
        return slots.size();
    }

    /**
     * Changes the number of connections: growing opens the new ones at once; shrinking retires the last ones, which
     * finish their requests in flight and then close.
     */
    void resize(int size) {
        List<Slot> opened = new ArrayList<>();
        List<Slot> retired = new ArrayList<>();
        synchronized (lock) {
            List<Slot> current = new ArrayList<>(slots);
            while (current.size() < size) {
                Slot slot = new Slot(current.size());
                current.add(slot);
                opened.add(slot);
            }
            while (current.size() > size) {
                Slot slot = current.remove(current.size() - 1);
                slot.retired = true;
                retired.add(slot);
            }
            slots = List.copyOf(current);
        }
        for (Slot slot : retired) {
            Member m = slot.member;
            slot.member = null;
            if (m != null) {
                m.connection.closeGracefully(drainTimeout);
            }
        }
        for (Slot slot : opened) {
            open(slot);
        }
    }

    /** Reserves a stream on the usable connection with the most free streams; null if none has one. */
    Member reserve() {
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

    /** Whether some connection takes requests now. */
    boolean anyUsable() {
        for (Slot slot : slots) {
            Member m = slot.member;
            if (m != null && !slot.retired && m.usable()) {
                return true;
            }
        }
        return false;
    }

    private void open(Slot slot) {
        if (owner.closed() || slot.retired) {
            return;
        }
        Generation g = generation;
        Connection.connect(origin, g.options()).whenComplete((connection, error) -> {
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                slot.error(cause);
                owner.connectFailed(cause);
                scheduleReconnect(slot);
            } else {
                onConnected(slot, connection, g.number());
            }
        });
    }

    private void onConnected(Slot slot, Connection connection, int opened) {
        if (owner.closed() || slot.retired) {
            connection.close();
            return;
        }
        if (opened != generation.number()) { // a roll began while it opened: it carries nothing yet, open anew
            connection.close();
            open(slot);
            return;
        }
        Member m = new Member(slot, connection, opened);
        members.add(m);
        slot.member = m;
        if (slot.retired) { // a resize retired the slot while this connection was opening
            slot.replaceMember(m, null);
            members.remove(m);
            connection.closeGracefully(drainTimeout);
            return;
        }
        connection.closeFuture().whenComplete((v, e) -> onClosed(m));
        if (connection.state() != ConnectionState.ACTIVE) {
            return; // closed or draining already: onClosed or goAway deals with it
        }
        if (owner.closed()) {
            connection.close();
            return;
        }
        owner.connectionReady();
    }

    private void scheduleReconnect(Slot slot) {
        if (owner.closed() || slot.retired) {
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
        if (slot.replaceMember(m, null)) {
            replace(m);
        }
        if (owner.closed() && members.isEmpty()) {
            owner.allClosed();
        }
    }

    /** {@code connection} received GOAWAY: it finishes what it owes; its slot gets a successor. */
    void goAway(Connection connection) {
        for (Member m : members) {
            if (m.connection == connection && m.slot.replaceMember(m, null)) {
                replace(m);
            }
        }
    }

    /**
     * {@code m} failed too many times in a row (5xx answers, lost or unanswered attempts): it finishes what is in
     * flight, and a new connection takes its slot.
     */
    void recycle(Member m) {
        if (m.slot.replaceMember(m, null)) {
            log.debug(
                    "replacing connection {} to {}: {} failures in a row",
                    m.slot.index,
                    origin,
                    m.failuresInARow.get());
            m.connection.closeGracefully(drainTimeout);
            replace(m);
        }
    }

    /** Opens a successor for a member that closed or drains: at once if it served, after a back-off if not. */
    private void replace(Member m) {
        Slot slot = m.slot;
        if (owner.closed() || slot.retired) {
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

    // ------------------------------------------------------------------ for a roll (ConnectionRoll)

    Generation generation() {
        return generation;
    }

    /** From now on connections open with {@code options}, a new generation; returns its number. */
    int advance(ConnectionOptions options) {
        synchronized (lock) {
            Generation next = new Generation(generation.number() + 1, options);
            generation = next;
            return next.number();
        }
    }

    /** A slot whose connection is of a generation before {@code number}, or null if none is. */
    Slot oldSlot(int number) {
        for (Slot slot : slots) {
            Member m = slot.member;
            if (m != null && !slot.retired && m.generation < number) {
                return slot;
            }
        }
        return null;
    }

    /** The connections of generations before {@code number}, serving a slot or draining. */
    List<Connection> oldConnections(int number) {
        List<Connection> old = new ArrayList<>();
        for (Member m : members) {
            if (m.generation < number) {
                old.add(m.connection);
            }
        }
        return old;
    }

    /**
     * Puts {@code fresh}, opened with generation {@code number}, in {@code slot} in place of its connection, which then
     * drains: it takes no new request, finishes those in flight (up to the request deadline) and closes. Returns the
     * connection replaced, or null if the slot changed meanwhile (its connection went away and another replaces it, or
     * it was retired); {@code fresh} is closed then, having carried nothing.
     */
    Connection adopt(Slot slot, Connection fresh, int number) {
        Member old = slot.member;
        Member m = new Member(slot, fresh, number);
        members.add(m);
        if (old == null || slot.retired || owner.closed() || !slot.replaceMember(old, m)) {
            members.remove(m);
            fresh.close();
            return null;
        }
        fresh.closeFuture().whenComplete((v, e) -> onClosed(m));
        if (owner.closed()) {
            fresh.close(); // closeAll may have missed it
            return null;
        }
        old.connection.closeGracefully(drainTimeout);
        owner.connectionReady();
        return old.connection;
    }

    URI origin() {
        return origin;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The most recent error of a slot, if any slot has one. */
    Throwable lastError() {
        for (Slot slot : slots) {
            if (slot.lastError != null) {
                return slot.lastError;
            }
        }
        return null;
    }

    /** Closes every connection now; the owner hears {@link Owner#allClosed()} when they are gone. */
    void closeAll() {
        for (Member m : List.copyOf(members)) {
            m.connection.close();
        }
        if (members.isEmpty()) {
            owner.allClosed();
        }
    }

    /** Connections by state. */
    Map<ConnectionState, Integer> countByState(boolean poolClosed) {
        Map<ConnectionState, Integer> byState = new EnumMap<>(ConnectionState.class);
        for (ConnectionSnapshot c : snapshots(poolClosed)) {
            byState.merge(c.state(), 1, Integer::sum);
        }
        return byState;
    }

    /**
     * One snapshot per connection: each slot's current connection (or CONNECTING with its last error while it waits for
     * one), then connections still draining after they were replaced.
     */
    List<ConnectionSnapshot> snapshots(boolean poolClosed) {
        List<ConnectionSnapshot> list = new ArrayList<>();
        List<Member> draining = new ArrayList<>(members);
        for (Slot slot : slots) {
            Member m = slot.member;
            if (m != null) {
                draining.remove(m);
                list.add(snapshot(slot, m.connection));
            } else {
                list.add(new ConnectionSnapshot(
                        slot.index,
                        poolClosed ? ConnectionState.CLOSED : ConnectionState.CONNECTING,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Optional.empty(),
                        Optional.ofNullable(slot.lastError).map(Throwable::getMessage),
                        Optional.empty()));
            }
        }
        for (Member m : draining) {
            list.add(snapshot(m.slot, m.connection));
        }
        return list;
    }

    private static ConnectionSnapshot snapshot(Slot slot, Connection c) {
        return new ConnectionSnapshot(
                slot.index,
                c.state(),
                c.inFlight(),
                c.maxConcurrentStreams(),
                c.sentCount(),
                c.answeredCount(),
                c.failedCount(),
                c.connectedSince(),
                c.lastError().or(() -> Optional.ofNullable(slot.lastError)).map(Throwable::getMessage),
                c.goAwayReason());
    }
}
