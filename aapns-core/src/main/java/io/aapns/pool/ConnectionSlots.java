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

    private final URI origin;
    private final ConnectionOptions connectionOptions;
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
        this.connectionOptions = connectionOptions;
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
        Connection.connect(origin, connectionOptions).whenComplete((connection, error) -> {
            if (error != null) {
                Throwable cause =
                        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                slot.error(cause);
                owner.connectFailed(cause);
                scheduleReconnect(slot);
            } else {
                onConnected(slot, connection);
            }
        });
    }

    private void onConnected(Slot slot, Connection connection) {
        if (owner.closed() || slot.retired) {
            connection.close();
            return;
        }
        Member m = new Member(slot, connection);
        members.add(m);
        slot.member = m;
        if (slot.retired) { // a resize retired the slot while this connection was opening
            slot.member = null;
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
        if (slot.member == m) {
            slot.member = null;
            replace(m);
        }
        if (owner.closed() && members.isEmpty()) {
            owner.allClosed();
        }
    }

    /** {@code connection} received GOAWAY: it finishes what it owes; its slot gets a successor. */
    void goAway(Connection connection) {
        for (Member m : members) {
            if (m.connection == connection && m.slot.member == m) {
                m.slot.member = null;
                replace(m);
            }
        }
    }

    /**
     * {@code m} failed too many times in a row (5xx answers, lost or unanswered attempts): it finishes what is in
     * flight, and a new connection takes its slot.
     */
    void recycle(Member m) {
        if (m.slot.member == m) {
            log.debug(
                    "replacing connection {} to {}: {} failures in a row",
                    m.slot.index,
                    origin,
                    m.failuresInARow.get());
            m.slot.member = null;
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
