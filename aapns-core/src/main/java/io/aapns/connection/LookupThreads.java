package io.aapns.connection;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run blocking host lookups, shared by every connection of the JVM so that no lookup ever runs on an
 * event loop: {@value #THREADS} daemon threads named {@code aapns-dns-N}, which stop after a minute without work, and a
 * queue of at most {@value #MAX_WAITING} lookups.
 */
final class LookupThreads {
    /** Lookups that may run at once. */
    static final int THREADS = 2;
    /** Lookups that may wait for a thread; more are refused. */
    static final int MAX_WAITING = 1024;

    private static final ExecutorService EXECUTOR = newExecutor();

    private LookupThreads() {}

    /**
     * Runs {@code lookup} on one of the lookup threads.
     *
     * @throws RejectedExecutionException if {@value #MAX_WAITING} lookups are already waiting
     */
    static Future<?> submit(Runnable lookup) {
        return EXECUTOR.submit(lookup);
    }

    private static ExecutorService newExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "aapns-dns-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING),
                threads,
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
