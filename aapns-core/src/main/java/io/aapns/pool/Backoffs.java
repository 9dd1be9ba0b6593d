package io.aapns.pool;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The requests of a pool that wait out a back-off before their next attempt, each with its timer on the pool's timer
 * loop. A request is woken by exactly one caller (a CAS on its state): its timer, or a close.
 */
final class Backoffs {
    private final EventExecutor timer;
    private final Set<PendingRequest> sleeping = ConcurrentHashMap.newKeySet();

    Backoffs(EventExecutor timer) {
        this.timer = timer;
    }

    int size() {
        return sleeping.size();
    }

    /** Runs {@code then} after {@code delayNanos}; false if the timer loop is gone (then wake it). */
    boolean sleep(PendingRequest p, long delayNanos, Runnable then) {
        p.state.set(PendingRequest.SLEEPING);
        sleeping.add(p);
        try {
            p.timer = timer.schedule(
                    () -> {
                        if (p.state.compareAndSet(PendingRequest.SLEEPING, PendingRequest.ACTIVE)) {
                            sleeping.remove(p);
                            then.run();
                        }
                    },
                    delayNanos,
                    TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    /** Ends {@code p}'s back-off now, if it is still sleeping, and hands it to {@code fail}. */
    void wake(PendingRequest p, Consumer<PendingRequest> fail) {
        if (p.state.compareAndSet(PendingRequest.SLEEPING, PendingRequest.ACTIVE)) {
            sleeping.remove(p);
            p.cancelTimer();
            fail.accept(p);
        }
    }

    void wakeAll(Consumer<PendingRequest> fail) {
        for (PendingRequest p : List.copyOf(sleeping)) {
            wake(p, fail);
        }
    }
}
