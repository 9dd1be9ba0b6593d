package io.aapns.mock;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a mock server does wrong, on command. One {@code Faults} belongs to the whole server
 * ({@link MockApnsServer#faults()}) and one to each connection ({@link MockConnection#faults()});
 * a connection's own faults are consulted first. All methods are thread-safe and return
 * {@code this} so that a test can chain them:
 *
 * <pre>{@code
 * server.faults().delay(Duration.ofMillis(250)).refuseNext(3).goAwayAfter(100);
 * }</pre>
 *
 * <p>"Next N" faults are counters that each request consumes, in this order: refused,
 * stalled, GOAWAY with a reason, status, status by fraction. Faults counted in streams
 * ({@link #goAwayAfter}, {@link #closeAfter}) count the streams of each connection
 * separately.
 */
public final class Faults {

    /** What the server does with one complete request, decided when it arrives. */
    enum Kind { NONE, REFUSE, STALL, GO_AWAY, STATUS }

    record Action(Kind kind, int status, String reason) {
        static final Action NONE = new Action(Kind.NONE, 0, null);
        static final Action REFUSE = new Action(Kind.REFUSE, 0, null);
        static final Action STALL = new Action(Kind.STALL, 0, null);
    }

    private volatile boolean any;
    private volatile Duration delay;
    private volatile int goAwayAfter;
    private volatile int closeAfter;
    private volatile boolean refuseHandshake;
    private volatile boolean stallHandshake;

    private int refuseNext;
    private int stallNext;
    private boolean stallAll;
    private int goAwayNext;
    private String goAwayReason;
    private int statusNext;
    private int statusNextCode;
    private String statusNextReason;
    private double fraction;
    private int fractionStatus;
    private String fractionReason;
    private SplittableRandom random = new SplittableRandom(42);

    /** Delays every answer by {@code delay} (zero for none). */
    public Faults delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        this.delay = delay.isZero() ? null : delay;
        return this;
    }

    /** Never answers the next {@code n} requests (their streams stay open until reset or closed). */
    public synchronized Faults stallNext(int n) {
        stallNext = nonNegative(n, "n");
        changed();
        return this;
    }

    /** Never answers any request while {@code stall} is true. */
    public synchronized Faults stallAll(boolean stall) {
        stallAll = stall;
        changed();
        return this;
    }

    /** Resets the next {@code n} requests with RST_STREAM REFUSED_STREAM instead of answering. */
    public synchronized Faults refuseNext(int n) {
        refuseNext = nonNegative(n, "n");
        changed();
        return this;
    }

    /**
     * Answers the next {@code n} valid requests with {@code status} and {@code {"reason": reason}}
     * instead of 200, e.g. {@code respondNext(3, 503, "ServiceUnavailable")}.
     */
    public synchronized Faults respondNext(int n, int status, String reason) {
        statusNext = nonNegative(n, "n");
        statusNextCode = errorStatus(status);
        statusNextReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Answers a {@code fraction} (0 to 1) of valid requests with {@code status} and
     * {@code reason}, chosen by a seeded random so that a run can be repeated.
     */
    public synchronized Faults respondFraction(double fraction, int status, String reason) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be between 0 and 1, got " + fraction);
        }
        this.fraction = fraction;
        this.fractionStatus = errorStatus(status);
        this.fractionReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /** Seeds the random that {@link #respondFraction} uses. */
    public synchronized Faults seed(long seed) {
        random = new SplittableRandom(seed);
        return this;
    }

    /**
     * On the next request, sends GOAWAY whose debug data is {@code {"reason": reason}} (as APNs
     * does for, e.g., BadCertificateEnvironment) and closes the connection once the streams it
     * had already accepted are answered. That request is above the GOAWAY's last-stream-id, so
     * it was not processed.
     */
    public synchronized Faults goAwayOnNextRequest(String reason) {
        goAwayNext = 1;
        goAwayReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Makes every connection send a graceful GOAWAY when its {@code n}-th stream arrives: its
     * last-stream-id is that stream, so it and all earlier streams are still answered, later
     * streams are ignored, and the connection closes when the last of them is answered.
     * Zero turns it off.
     */
    public Faults goAwayAfter(int n) {
        goAwayAfter = nonNegative(n, "n");
        changed();
        return this;
    }

    /**
     * Makes every connection drop abruptly (TCP close, no GOAWAY) when its {@code (n+1)}-th
     * stream arrives: the first {@code n} streams are processed, whatever is unanswered then is
     * lost. Zero turns it off.
     */
    public Faults closeAfter(int n) {
        closeAfter = nonNegative(n, "n");
        changed();
        return this;
    }

    /** Closes new TCP connections at once, before any TLS handshake. */
    public Faults refuseHandshake(boolean refuse) {
        refuseHandshake = refuse;
        changed();
        return this;
    }

    /** Accepts new TCP connections but never answers their TLS handshake. */
    public Faults stallHandshake(boolean stall) {
        stallHandshake = stall;
        changed();
        return this;
    }

    /** Removes every fault. */
    public synchronized Faults clear() {
        delay = null;
        goAwayAfter = 0;
        closeAfter = 0;
        refuseHandshake = false;
        stallHandshake = false;
        refuseNext = 0;
        stallNext = 0;
        stallAll = false;
        goAwayNext = 0;
        goAwayReason = null;
        statusNext = 0;
        fraction = 0;
        random = new SplittableRandom(42);
        any = false;
        return this;
    }

    Duration delayOrNull() {
        return delay;
    }

    int goAwayAfterStreams() {
        return goAwayAfter;
    }

    int closeAfterStreams() {
        return closeAfter;
    }

    boolean refusesHandshake() {
        return refuseHandshake;
    }

    boolean stallsHandshake() {
        return stallHandshake;
    }

    /** Takes the fault, if any, that applies to the next complete request. */
    Action take() {
        if (!any) {
            return Action.NONE;
        }
        synchronized (this) {
            if (refuseNext > 0) {
                refuseNext--;
                return Action.REFUSE;
            }
            if (stallAll) {
                return Action.STALL;
            }
            if (stallNext > 0) {
                stallNext--;
                return Action.STALL;
            }
            if (goAwayNext > 0) {
                goAwayNext--;
                return new Action(Kind.GO_AWAY, 0, goAwayReason);
            }
            return Action.NONE;
        }
    }

    /** Takes the status fault, if any, for a request that passed validation. */
    Action takeStatus() {
        if (!any) {
            return Action.NONE;
        }
        synchronized (this) {
            if (statusNext > 0) {
                statusNext--;
                return new Action(Kind.STATUS, statusNextCode, statusNextReason);
            }
            if (fraction > 0 && random.nextDouble() < fraction) {
                return new Action(Kind.STATUS, fractionStatus, fractionReason);
            }
            return Action.NONE;
        }
    }

    private void changed() {
        any = true;
    }

    private static int nonNegative(int n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + n);
        }
        return n;
    }

    private static int errorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), got " + status);
        }
        return status;
    }
}
