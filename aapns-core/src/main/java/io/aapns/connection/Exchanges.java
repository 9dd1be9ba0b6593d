package io.aapns.connection;

import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.RequestTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;

/**
 * The requests in flight on one connection: it opens a stream for each and writes it, finds its exchange when a frame
 * arrives (the {@link Wire} keeps which is on which stream), and ends it: answered, or failed with the rule of
 * {@link #lost}. Event loop only, except the counters, which are written there and read anywhere.
 */
final class Exchanges {

    private final ConnectionHandler handler;
    private final RequestWriter writer;
    private final Observers observers;

    private int nextStreamId;
    private int active;

    volatile int inFlight;
    volatile long sent;
    volatile long answered;
    volatile long failed;

    Exchanges(ConnectionHandler handler, RequestWriter writer, Observers observers, int firstStreamId) {
        this.handler = handler;
        this.writer = writer;
        this.observers = observers;
        this.nextStreamId = firstStreamId;
    }

    /** Requests on a stream and not yet ended. */
    int active() {
        return active;
    }

    // ------------------------------------------------------------------ starting

    /**
     * Opens a stream for {@code e} and writes it, or ends it at once when it cannot go (the connection takes nothing
     * new, the deadline passed, no free stream, too large). Returns whether anything was written, so that the caller
     * flushes.
     */
    boolean start(ChannelHandlerContext ctx, Exchange e, boolean accepting) {
        if (e.isDone()) {
            e.releasePayload(); // cancelled by the caller before it was sent
            return false;
        }
        if (!accepting) {
            fail(e, handler.notAccepting());
            return false;
        }
        long now = System.nanoTime();
        if (now - e.deadlineNanos >= 0) {
            fail(e, new RequestTimeoutException("the deadline passed before the request was sent", false));
            return false;
        }
        Wire wire = handler.wire();
        if (!wire.canOpenStream()) {
            fail(e, new BlockedException(wire.maxConcurrentStreams()));
            return false;
        }
        Http2Headers headers = writer.headers(e);
        try {
            RequestWriter.checkSize(e, wire.maxHeaderListSize());
        } catch (ApnsException tooLarge) {
            fail(e, tooLarge);
            return false;
        }
        int streamId = nextStreamId;
        if (streamId <= 0) {
            fail(e, new ClosedException("the connection has used all its stream ids", true));
            handler.streamIdsExhausted();
            return false;
        }
        nextStreamId = streamId + 2;

        e.streamId = streamId;
        Throwable cause = wire.open(streamId, headers, e);
        if (cause != null) {
            e.streamId = -1;
            boolean encoding = ctx.channel().isActive() && Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null;
            fail(
                    e,
                    encoding
                            ? new ApnsException("the request could not be encoded: " + Frames.describe(cause), cause)
                            : new ClosedException(
                                    "the request could not be written: " + Frames.describe(cause), true, cause));
            return true;
        }
        e.started = true;
        active++;
        inFlight = active;
        sent++;
        if (e.request.payloadLength() == 0) {
            e.releasePayload();
        }
        handler.watchDeadline(e.deadlineNanos, now);
        observers.sent(e.request);
        return true;
    }

    /** The request's last frame was written, or could not be. */
    void written(Exchange e, Throwable failure) {
        if (failure == null) {
            e.written = true;
            return;
        }
        if (!e.isDone()) {
            int id = e.streamId;
            fail(
                    e,
                    new ClosedException(
                            "the request could not be written: " + Frames.describe(failure), true, failure));
            handler.reset(id, Http2Error.CANCEL);
        }
    }

    /** The caller cancelled the future: reset the stream if it is open, so the server stops too. */
    void cancelled(Exchange e) {
        if (!e.started) {
            return; // still queued: start() skips it; or already finished
        }
        int id = e.streamId;
        finish(e);
        failed++;
        observers.cancelled(e.request, e.startNanos);
        handler.reset(id, Http2Error.CANCEL);
        handler.afterExchange();
    }

    /**
     * {@code e}'s deadline passed with no answer: fail it and reset its stream. Returns whether the server had the
     * request whole (then the connection is worth a PING).
     */
    boolean deadlinePassed(Exchange e) {
        if (e.isDone()) {
            return false;
        }
        int id = e.streamId;
        boolean written = e.written;
        fail(
                e,
                new RequestTimeoutException(
                        "no answer before the deadline; stream " + id + " was reset with CANCEL", written));
        handler.reset(id, Http2Error.CANCEL);
        return written;
    }

    // ------------------------------------------------------------------ frames

    /** The exchange on {@code streamId}, if it is still waiting for its answer. */
    Exchange waiting(int streamId) {
        Exchange e = handler.wire().exchange(streamId);
        return e == null || e.isDone() ? null : e;
    }

    void headers(int streamId, Http2Headers headers, boolean endOfStream) {
        Exchange e = waiting(streamId);
        if (e == null) {
            return;
        }
        if (e.status < 0) {
            int status = Frames.parseStatus(headers.status());
            if (status < 0) {
                fail(
                        e,
                        new ClosedException(
                                "the server answered stream " + streamId + " without a valid :status", false));
                handler.reset(streamId, Http2Error.PROTOCOL_ERROR);
                return;
            }
            if (status < 200) {
                return; // informational; the final answer follows
            }
            e.status = status;
            e.headers = headers;
        }
        if (endOfStream) {
            complete(e);
        }
    }

    void data(int streamId, ByteBuf data, boolean endOfStream) {
        Exchange e = waiting(streamId);
        if (e == null) {
            return;
        }
        if (e.status < 0) {
            fail(e, new ClosedException("the server sent DATA before HEADERS on stream " + streamId, false));
            handler.reset(streamId, Http2Error.PROTOCOL_ERROR);
            return;
        }
        e.append(data);
        if (endOfStream) {
            complete(e);
        }
    }

    void resetByServer(int streamId, long errorCode) {
        Exchange e = waiting(streamId);
        if (e == null) {
            return;
        }
        boolean refused = errorCode == Http2Error.REFUSED_STREAM.code();
        Http2Error error = Http2Error.valueOf(errorCode);
        lost(
                e,
                refused
                        ? "the server refused stream " + streamId + " (REFUSED_STREAM): it did not process the request"
                        : "the server reset stream " + streamId + " with "
                                + (error != null ? error.name() : "error " + errorCode),
                refused,
                null);
    }

    // ------------------------------------------------------------------ endings

    /**
     * {@code e}'s stream ended without a complete answer, for the reason {@code why}. A final status already received
     * means the server processed the request: complete with it (the body, and so the reason, only if it arrived).
     * Otherwise fail; safe to retry exactly when the request's last frame had not been written ({@code refused}: the
     * server itself declared it unprocessed).
     */
    void lost(Exchange e, String why, boolean refused, Throwable cause) {
        if (e.answered()) {
            complete(e);
            return;
        }
        boolean safe = refused || !e.written;
        fail(
                e,
                new ClosedException(
                        why
                                + (refused
                                        ? ""
                                        : e.written
                                                ? "; the server may have processed the request"
                                                : "; the request was not sent whole"),
                        safe,
                        cause));
    }

    /**
     * {@code e}'s stream is above a GOAWAY's last stream id: the server declared it unprocessed. Fails with
     * {@code refusal} (safe to retry), one exception shared by every stream the same GOAWAY refused, since a GOAWAY can
     * refuse a thousand at once and each would otherwise fill in a stack trace; completes instead if a final status
     * arrived meanwhile.
     */
    void refused(Exchange e, ClosedException refusal) {
        if (e.answered()) {
            complete(e);
            return;
        }
        fail(e, refusal);
    }

    private void complete(Exchange e) {
        Response response = e.response();
        if (e.status == 403
                && e.authorization != null
                && "ExpiredProviderToken".equals(response.reason().orElse(null))) {
            writer.authorization().expired(e.authorization);
        }
        finish(e);
        answered++;
        observers.answered(e.request, response, e.startNanos);
        e.end(response, null);
        handler.afterExchange();
    }

    void fail(Exchange e, Throwable cause) {
        finish(e);
        failed++;
        observers.failed(e.request, cause, e.startNanos);
        e.end(null, cause);
        handler.afterExchange();
    }

    private void finish(Exchange e) {
        e.releasePayload();
        if (e.started) {
            e.started = false;
            active--;
            inFlight = active;
            handler.wire().detach(e);
        }
    }

    /** The exchanges on open streams, still waiting or not. */
    List<Exchange> onStreams() {
        return handler.wire().exchanges();
    }
}
