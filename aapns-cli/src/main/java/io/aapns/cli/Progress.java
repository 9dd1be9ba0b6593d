package io.aapns.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how a bulk send is going on standard error: a bar redrawn in place on a terminal (done/total, rate,
 * accepted/rejected/failed, ETA), plain lines at an interval otherwise (a log, a pipe).
 */
final class Progress implements AutoCloseable {

    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final Tally tally;
    private final LongSupplier sent;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer;
    private boolean drawn;

    private Progress(PrintWriter err, boolean terminal, Duration interval, Tally tally, LongSupplier sent, long total) {
        this.err = err;
        this.terminal = terminal;
        this.tally = tally;
        this.sent = sent;
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aapns-progress");
            t.setDaemon(true);
            return t;
        });
        long every = terminal ? 250 : Math.max(100, interval.toMillis());
        timer.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts showing progress; {@code total} is -1 when unknown. */
    static Progress start(
            PrintWriter err, boolean terminal, Duration interval, Tally tally, LongSupplier sent, long total) {
        return new Progress(err, terminal, interval, tally, sent, total);
    }

    private synchronized void show() {
        String line = line();
        if (terminal) {
            err.print("\r" + line + "\033[K");
            drawn = true;
        } else {
            err.println("progress: " + line);
        }
        err.flush();
    }

    String line() {
        long done = tally.done();
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder sb = new StringBuilder();
        if (terminal && total > 0) {
            int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
            sb.append('[')
                    .append("#".repeat(filled))
                    .append(".".repeat(BAR_WIDTH - filled))
                    .append("] ");
        }
        sb.append(done);
        if (total >= 0) {
            sb.append('/').append(total);
        }
        sb.append(" done, ").append(sent.getAsLong() - done).append(" in flight, ");
        sb.append(tally.accepted())
                .append(" accepted, ")
                .append(tally.rejected())
                .append(" rejected, ");
        sb.append(tally.failed()).append(" failed");
        if (tally.invalid() > 0) {
            sb.append(", ").append(tally.invalid()).append(" invalid");
        }
        sb.append(String.format(Locale.ROOT, ", %.0f/s", rate));
        if (total > 0 && rate > 0 && done < total) {
            sb.append(", ETA ").append(eta((long) ((total - done) / rate)));
        }
        return sb.toString();
    }

    private static String eta(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    /** Stops the timer and ends the bar's line, so that what follows starts on its own. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (terminal && drawn) {
                show();
                err.println();
                err.flush();
            }
        }
    }
}
