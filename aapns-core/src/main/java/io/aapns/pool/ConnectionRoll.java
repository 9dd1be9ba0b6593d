package io.aapns.pool;

import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionOptions;
import io.aapns.errors.ApnsException;
import io.aapns.errors.ClosedException;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a pool's connections onto new connection options (a new TLS client certificate), one at a time, losing nothing:
 * a first connection with the new options proves them (if it cannot open, nothing changes and the roll fails with why);
 * from then on every connection the pool opens uses them, and each old connection in turn is replaced by a new one and
 * drains (no new streams on it, those in flight finish, as after a GOAWAY). Requests that an old connection had not
 * sent whole when it began to drain are re-sent elsewhere, as the delivery rules say for a connection that goes away;
 * none fails because of the roll. The future completes when no connection of the old options is left.
 */
final class ConnectionRoll {

    private static final Logger log = LoggerFactory.getLogger(Pool.class);

    private final ConnectionSlots slots;
    private final ConnectionOptions next;
    private final EventExecutor timer;
    private final BooleanSupplier closed;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The generation of {@code next}, once the first connection proved it. */
    private volatile int number;

    private volatile int failures;

    private ConnectionRoll(ConnectionSlots slots, ConnectionOptions next, EventExecutor timer, BooleanSupplier closed) {
        this.slots = slots;
        this.next = next;
        this.timer = timer;
        this.closed = closed;
    }

    /** Starts rolling {@code slots} onto {@code next}; the future completes when it is done. */
    static CompletableFuture<Void> start(
            ConnectionSlots slots, ConnectionOptions next, EventExecutor timer, BooleanSupplier closed) {
        ConnectionRoll roll = new ConnectionRoll(slots, next, timer, closed);
        roll.probe();
        return roll.done;
    }

    private void probe() {
        Connection.connect(slots.origin(), next).whenComplete((connection, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                done.completeExceptionally(new ApnsException(
                        "the new credentials could not open a connection to " + slots.origin() + " ("
                                + cause.getMessage() + "): the connections stay on the old ones",
                        cause));
                return;
            }
            if (closed.getAsBoolean()) {
                connection.close();
                failClosed();
                return;
            }
            number = slots.advance(next);
            log.info("rolling the connections to {} onto new credentials", slots.origin());
            place(connection);
        });
    }

    /** Gives {@code fresh} the first slot still on old options, then goes on once the old connection has closed. */
    private void place(Connection fresh) {
        Slot slot = slots.oldSlot(number);
        if (slot == null) {
            fresh.close(); // every slot moved meanwhile (replaced after a GOAWAY, say): it carried nothing
            finish();
            return;
        }
        Connection old = slots.adopt(slot, fresh, number);
        if (old == null) {
            step(); // the slot changed meanwhile: look again
            return;
        }
        old.closeFuture().whenComplete((v, e) -> step());
    }

    /** Opens the next new connection if a slot is still on old options, or finishes. */
    private void step() {
        if (closed.getAsBoolean()) {
            failClosed();
            return;
        }
        if (slots.oldSlot(number) == null) {
            finish();
            return;
        }
        Connection.connect(slots.origin(), slots.generation().options()).whenComplete((connection, error) -> {
            if (error == null) {
                failures = 0;
                place(connection);
                return;
            }
            // The options proved good with the first connection: this failure may pass, so try again with back-off
            // while the old connection carries on.
            long delay = slots.retryPolicy().backoffNanos(++failures);
            log.debug(
                    "a connection for the roll to {} failed ({}); again in {} ms",
                    slots.origin(),
                    unwrap(error).getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(delay));
            try {
                timer.schedule(this::step, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException stopped) {
                failClosed();
            }
        });
    }

    /** Every slot is on the new options: done once the old connections still draining have closed. */
    private void finish() {
        List<Connection> old = slots.oldConnections(number);
        CompletableFuture.allOf(old.stream().map(Connection::closeFuture).toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> {
                    log.info("the connections to {} are on the new credentials", slots.origin());
                    done.complete(null);
                });
    }

    private void failClosed() {
        done.completeExceptionally(new ClosedException("the pool closed before its connections had moved", true));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
