package io.aapns.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts results as they come (from one writer thread) for progress lines, the summary and the exit code. */
final class Tally {

    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong invalid = new AtomicLong();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    void add(SendResult r) {
        switch (r.outcome()) {
            case ACCEPTED -> accepted.incrementAndGet();
            case REJECTED -> {
                rejected.incrementAndGet();
                reasons.computeIfAbsent(r.status() + " " + r.reason(), k -> new LongAdder())
                        .increment();
            }
            case FAILED -> failed.incrementAndGet();
            case INVALID -> invalid.incrementAndGet();
        }
    }

    long accepted() {
        return accepted.get();
    }

    long rejected() {
        return rejected.get();
    }

    long failed() {
        return failed.get();
    }

    long invalid() {
        return invalid.get();
    }

    long done() {
        return accepted() + rejected() + failed() + invalid();
    }

    /** Rejections by status and reason, sorted: {@code "410 Unregistered" -> 12}. */
    Map<String, Long> reasons() {
        Map<String, Long> sorted = new TreeMap<>();
        reasons.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }

    /** The exit code the results call for: the worst of them. */
    int exitCode() {
        int code = ExitCodes.OK;
        if (rejected() > 0) {
            code = ExitCodes.worst(code, ExitCodes.REJECTED);
        }
        if (invalid() > 0) {
            code = ExitCodes.worst(code, ExitCodes.USAGE);
        }
        if (failed() > 0) {
            code = ExitCodes.worst(code, ExitCodes.NO_ANSWER);
        }
        return code;
    }
}
