package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Error;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What a mock server does wrong, on command. One {@code Faults} belongs to the whole server
 * ({@link MockApnsServer#faults()}) and one to each connection ({@link MockConnection#faults()}); a connection's own
 * faults are consulted first. All methods are thread-safe and return {@code this} so that a test can chain them:
 *
 * <pre>{@code
 * server.faults().delay(Duration.ofMillis(250)).refuseNext(3).goAwayAfter(100);
 * }</pre>
 *
 * <p>"Next N" faults are counters that each request consumes, in this order: refused, stalled, GOAWAY with a reason,
 * reset after END_STREAM; then, for requests that pass validation: answer then reset, answer then close, status, status
 * by fraction. {@link #resetBeforeEndStreamNext} is consumed earlier, when a stream's HEADERS arrive. Faults counted in
 * streams ({@link #goAwayAfter}, {@link #closeAfter}) count the streams of each connection separately. Handshake faults
 * ({@link #refuseHandshake}, {@link #stallHandshake}, {@link #rejectClientCertificates}) act before a connection
 * exists, so only the server's {@code Faults} have them.
 */
public final class Faults {

    /** What the server does with one complete request, decided when it arrives. */
    enum Kind {
        NONE,
        REFUSE,
        STALL,
        GO_AWAY,
        STATUS,
        RESET
    }

    /** How an answer ends: END_STREAM as usual, or a reset or a cut connection instead. */
    enum Ending {
        END_STREAM,
        RESET,
        CLOSE
    }

    /**
     * One decision. {@code reason} is the body's reason (null: HEADERS only, for the endings other than END_STREAM),
     * {@code errorCode} the RST_STREAM code of {@link Kind#RESET}.
     */
    record Action(Kind kind, int status, String reason, Ending ending, long errorCode) {
        static final Action NONE = new Action(Kind.NONE, 0, null);
        static final Action REFUSE = new Action(Kind.REFUSE, 0, null);
        static final Action STALL = new Action(Kind.STALL, 0, null);

        Action(Kind kind, int status, String reason) {
            this(kind, status, reason, Ending.END_STREAM, 0);
        }
    }

    private volatile boolean any;
    private volatile Duration delay;
    private volatile int goAwayAfter;
    private volatile int closeAfter;
    private volatile boolean refuseHandshake;
    private volatile boolean stallHandshake;
    private volatile int oversizeHeaderBytes;

    private boolean rejectCertificates;
    private int rejectCertificatesNext;
    private int resetAfterEndStreamNext;
    private Http2Error resetAfterEndStreamCode;
    private int resetBeforeEndStreamNext;
    private Http2Error resetBeforeEndStreamCode;
    private int answerThenResetNext;
    private int answerThenResetStatus;
    private String answerThenResetReason;
    private int answerThenCloseNext;
    private int answerThenCloseStatus;
    private String answerThenCloseReason;

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
     * Answers the next {@code n} valid requests with {@code status} and {@code {"reason": reason}} instead of 200, e.g.
     * {@code respondNext(3, 503, "ServiceUnavailable")}.
     */
    public synchronized Faults respondNext(int n, int status, String reason) {
        statusNext = nonNegative(n, "n");
        statusNextCode = errorStatus(status);
        statusNextReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Answers a {@code fraction} (0 to 1) of valid requests with {@code status} and {@code reason}, chosen by a seeded
     * random so that a run can be repeated.
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
     * On the next request, sends GOAWAY whose debug data is {@code {"reason": reason}} (as APNs does for, e.g.,
     * BadCertificateEnvironment) and closes the connection once the streams it had already accepted are answered. That
     * request is above the GOAWAY's last-stream-id, so it was not processed.
     */
    public synchronized Faults goAwayOnNextRequest(String reason) {
        goAwayNext = 1;
        goAwayReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Makes every connection send a graceful GOAWAY when its {@code n}-th stream arrives: its last-stream-id is that
     * stream, so it and all earlier streams are still answered, later streams are ignored, and the connection closes
     * when the last of them is answered. Zero turns it off.
     */
    public Faults goAwayAfter(int n) {
        goAwayAfter = nonNegative(n, "n");
        changed();
        return this;
    }

    /**
     * Makes every connection drop abruptly (TCP close, no GOAWAY) when its {@code (n+1)}-th stream arrives: the first
     * {@code n} streams are processed, whatever is unanswered then is lost. Zero turns it off.
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

    /**
     * Answers the next {@code n} valid requests with a HEADERS frame of {@code :status} (and {@code apns-id}, and
     * {@code apns-unique-id} for a 200 in development) without END_STREAM, then resets the stream with RST_STREAM
     * CANCEL instead of ending it. The server processed each of these requests: a client must complete them with that
     * status and never re-send. An error status carries no body here; see {@link #answerThenResetNext(int, int,
     * String)}.
     */
    public synchronized Faults answerThenResetNext(int n, int status) {
        answerThenResetNext = nonNegative(n, "n");
        answerThenResetStatus = anyStatus(status);
        answerThenResetReason = null;
        changed();
        return this;
    }

    /**
     * As {@link #answerThenResetNext(int, int)} for an error status whose JSON body {@code {"reason": reason}} is sent
     * too, in a DATA frame without END_STREAM, before the RST_STREAM CANCEL: a client that has read the body must keep
     * its reason.
     */
    public synchronized Faults answerThenResetNext(int n, int status, String reason) {
        answerThenResetNext = nonNegative(n, "n");
        answerThenResetStatus = errorStatus(status);
        answerThenResetReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Answers the next {@code n} valid requests with a HEADERS frame of {@code :status} (and {@code apns-id}) without
     * END_STREAM, then drops the connection: the answer is flushed, then TCP is shut down without TLS close_notify or
     * GOAWAY, and whatever the client still sends is read and dropped until it closes (at most two seconds). Streams
     * still in flight on that connection are lost. The server processed the request that got the HEADERS.
     */
    public synchronized Faults answerThenCloseNext(int n, int status) {
        answerThenCloseNext = nonNegative(n, "n");
        answerThenCloseStatus = anyStatus(status);
        answerThenCloseReason = null;
        changed();
        return this;
    }

    /**
     * As {@link #answerThenCloseNext(int, int)} for an error status whose JSON body {@code {"reason": reason}} is sent
     * too, in a DATA frame without END_STREAM, before the connection drops.
     */
    public synchronized Faults answerThenCloseNext(int n, int status, String reason) {
        answerThenCloseNext = nonNegative(n, "n");
        answerThenCloseStatus = errorStatus(status);
        answerThenCloseReason = Objects.requireNonNull(reason, "reason");
        changed();
        return this;
    }

    /**
     * Reads each of the next {@code n} requests whole (END_STREAM included), then resets its stream with RST_STREAM
     * {@code code} and sends no answer. The request is recorded with outcome {@link RecordedRequest.Outcome#RESET}: as
     * far as the client knows the server may have processed it. ({@link #refuseNext} is the reset that says it was
     * not.)
     */
    public synchronized Faults resetAfterEndStreamNext(int n, Http2Error code) {
        resetAfterEndStreamNext = nonNegative(n, "n");
        resetAfterEndStreamCode = Objects.requireNonNull(code, "code");
        changed();
        return this;
    }

    /**
     * Resets each of the next {@code n} streams with RST_STREAM INTERNAL_ERROR as soon as its HEADERS arrive, before
     * its DATA and END_STREAM: the request is never complete, so it is not processed and not recorded (only
     * {@link MockConnection#streamCount()} counts it). Streams whose HEADERS carry END_STREAM (no body) do not consume
     * it.
     *
     * <p>Whether the client's END_STREAM had already left when the reset arrives is up to the client, which may write
     * HEADERS and DATA together. To make it certainly later, build the server with
     * {@link MockApnsServer.Builder#initialWindowSize(int) initialWindowSize(0)}: a client that honours the SETTINGS
     * cannot send any DATA before the server grants the stream a window, which it does when the HEADERS arrive for
     * every stream but the ones it resets here.
     */
    public Faults resetBeforeEndStreamNext(int n) {
        return resetBeforeEndStreamNext(n, Http2Error.INTERNAL_ERROR);
    }

    /** As {@link #resetBeforeEndStreamNext(int)} with RST_STREAM {@code code}. */
    public synchronized Faults resetBeforeEndStreamNext(int n, Http2Error code) {
        resetBeforeEndStreamNext = nonNegative(n, "n");
        resetBeforeEndStreamCode = Objects.requireNonNull(code, "code");
        changed();
        return this;
    }

    /**
     * Adds to every answer an extra header, {@code x-mock-padding}, whose value is {@code bytes} bytes long (zero turns
     * it off), to exceed a client's SETTINGS_MAX_HEADER_LIST_SIZE. The server sends it even above the limit the client
     * announced, in CONTINUATION frames when it is longer than a frame.
     */
    public Faults oversizeResponseHeaders(int bytes) {
        oversizeHeaderBytes = nonNegative(bytes, "bytes");
        changed();
        return this;
    }

    /**
     * While {@code reject} is true, new connections fail their TLS handshake: the server reads the ClientHello and
     * answers with a fatal {@code bad_certificate} alert, as when a client certificate is revoked, so the client sees
     * an {@code SSLHandshakeException} naming a bad certificate. Connections already open keep working.
     */
    public synchronized Faults rejectClientCertificates(boolean reject) {
        rejectCertificates = reject;
        changed();
        return this;
    }

    /**
     * Makes the next {@code n} new connections fail their TLS handshake with a fatal {@code bad_certificate} alert, as
     * {@link #rejectClientCertificates} does; later ones succeed again.
     */
    public synchronized Faults rejectNextClientCertificates(int n) {
        rejectCertificatesNext = nonNegative(n, "n");
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
        oversizeHeaderBytes = 0;
        rejectCertificates = false;
        rejectCertificatesNext = 0;
        resetAfterEndStreamNext = 0;
        resetBeforeEndStreamNext = 0;
        answerThenResetNext = 0;
        answerThenCloseNext = 0;
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

    int oversizeHeaderBytes() {
        return oversizeHeaderBytes;
    }

    /** Takes the certificate rejection, if any, for a new TCP connection. */
    synchronized boolean takeCertificateRejection() {
        if (rejectCertificates) {
            return true;
        }
        if (rejectCertificatesNext > 0) {
            rejectCertificatesNext--;
            return true;
        }
        return false;
    }

    /** Takes the RST_STREAM code, if any, for a stream whose HEADERS just arrived; null for none. */
    Http2Error takeEarlyReset() {
        if (!any) {
            return null;
        }
        synchronized (this) {
            if (resetBeforeEndStreamNext > 0) {
                resetBeforeEndStreamNext--;
                return resetBeforeEndStreamCode;
            }
            return null;
        }
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
            if (resetAfterEndStreamNext > 0) {
                resetAfterEndStreamNext--;
                return new Action(Kind.RESET, 0, null, Ending.RESET, resetAfterEndStreamCode.code());
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
            if (answerThenResetNext > 0) {
                answerThenResetNext--;
                return new Action(
                        Kind.STATUS,
                        answerThenResetStatus,
                        answerThenResetReason,
                        Ending.RESET,
                        Http2Error.CANCEL.code());
            }
            if (answerThenCloseNext > 0) {
                answerThenCloseNext--;
                return new Action(Kind.STATUS, answerThenCloseStatus, answerThenCloseReason, Ending.CLOSE, 0);
            }
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

    private static int anyStatus(int status) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP final status (200-599), got " + status);
        }
        return status;
    }

    private static int errorStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), got " + status);
        }
        return status;
    }
}
