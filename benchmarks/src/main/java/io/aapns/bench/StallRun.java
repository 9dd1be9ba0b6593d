package io.aapns.bench;

import io.aapns.errors.BlockedException;
import io.aapns.mock.MockApnsServer;
import io.aapns.pool.PoolStats;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code aapns-load --embedded --stall}: the memory bound of issue 7. The embedded mock server reads every request and
 * answers none; all notifications are sent at once, so the pool fills its streams, then its queue up to
 * {@code maxPending}, and fails the rest fast with {@link BlockedException}. The heap is measured after a full GC
 * before and after.
 */
final class StallRun {

    private StallRun() {}

    static int run(AapnsDriver driver, MockApnsServer server, LoadOptions o, PrintStream out, PrintStream err)
            throws InterruptedException {
        server.faults().stallAll(true);
        long heapBefore = usedHeapAfterGc();
        LongAdder blocked = new LongAdder();
        LongAdder other = new LongAdder();
        AtomicReference<Throwable> firstOther = new AtomicReference<>();
        for (int i = 0; i < o.count; i++) {
            driver.send((outcome, failure) -> {
                if (outcome == Driver.FAILED) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    if (cause instanceof BlockedException) {
                        blocked.increment();
                    } else {
                        other.increment();
                        firstOther.compareAndSet(null, cause);
                    }
                }
            });
        }
        // Wait until every notification is either on a stream, queued, or failed fast.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        PoolStats stats = driver.client().stats();
        while (stats.inFlight() + stats.queued() + blocked.sum() + other.sum() < o.count
                && System.nanoTime() - until < 0) {
            TimeUnit.MILLISECONDS.sleep(100);
            stats = driver.client().stats();
        }
        long heapAfter = usedHeapAfterGc();
        stats = driver.client().stats();
        long waiting = stats.inFlight() + stats.queued();
        out.println(String.format(Locale.ROOT, "pool: %s", stats));
        if (other.sum() > 0) {
            err.println("aapns-load: " + other.sum() + " notification(s) failed otherwise; first: " + firstOther.get());
        }
        out.println(String.format(
                Locale.ROOT,
                "stall: sent=%d in-flight=%d queued=%d blocked=%d other=%d heap-before=%d MB heap-after=%d MB"
                        + " bytes-per-waiting=%d",
                o.count,
                stats.inFlight(),
                stats.queued(),
                blocked.sum(),
                other.sum(),
                heapBefore >> 20,
                heapAfter >> 20,
                waiting == 0 ? 0 : (heapAfter - heapBefore) / waiting));
        out.flush();
        boolean consistent = waiting + blocked.sum() == o.count && other.sum() == 0 && stats.queued() <= o.maxPending();
        server.faults().stallAll(false);
        return consistent ? 0 : 1;
    }

    /** Heap in use after asking for full collections until it stops shrinking. */
    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            memory.gc();
            TimeUnit.MILLISECONDS.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }
}
