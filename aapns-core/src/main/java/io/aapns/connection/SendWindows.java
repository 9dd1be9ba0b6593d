package io.aapns.connection;

import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.util.ArrayDeque;

/**
 * {@link FrameWire}'s send-side flow control (RFC 9113 section 6.9): the connection's window, the server's initial
 * stream window, and the requests whose DATA waits for a WINDOW_UPDATE, in the order they were sent. APNs payloads are
 * at most 5 KB, so a request rarely waits; when one does, its DATA goes out as the windows open. Event loop only.
 */
final class SendWindows {
    static final int DEFAULT_WINDOW = Http2CodecUtil.DEFAULT_WINDOW_SIZE;

    private final ArrayDeque<Exchange> waiting = new ArrayDeque<>();
    private int connection = DEFAULT_WINDOW;
    private int initialStream = DEFAULT_WINDOW;

    int initialStreamWindow() {
        return initialStream;
    }

    int connectionWindow() {
        return connection;
    }

    /** How many of {@code e}'s payload bytes may go out now. */
    int allowance(Exchange e) {
        int left = e.request.payloadLength() - e.dataSent;
        return Math.max(0, Math.min(left, Math.min(connection, e.sendWindow)));
    }

    /** {@code n} bytes of {@code e}'s payload were framed. */
    void sent(Exchange e, int n) {
        connection -= n;
        e.sendWindow -= n;
        e.dataSent += n;
    }

    /** {@code e}'s DATA waits for the windows to open. */
    void waitFor(Exchange e) {
        waiting.add(e);
    }

    /** WINDOW_UPDATE on the connection; a window past 2^31-1 is a connection error. */
    void connectionUpdate(int increment) throws Http2Exception {
        if (connection > Integer.MAX_VALUE - increment) {
            throw Http2Exception.connectionError(
                    Http2Error.FLOW_CONTROL_ERROR, "the connection's send window overflowed (+%d)", increment);
        }
        connection += increment;
    }

    /** WINDOW_UPDATE on {@code e}'s stream; a window past 2^31-1 is an error of that stream. */
    static void streamUpdate(Exchange e, int increment) throws Http2Exception {
        if (e.sendWindow > Integer.MAX_VALUE - increment) {
            throw Http2Exception.streamError(
                    e.streamId,
                    Http2Error.FLOW_CONTROL_ERROR,
                    "stream %d's send window overflowed (+%d)",
                    e.streamId,
                    increment);
        }
        e.sendWindow += increment;
    }

    /**
     * SETTINGS_INITIAL_WINDOW_SIZE changed: every open stream's window moves by the difference (it may go negative);
     * one pushed past 2^31-1 is a connection error.
     */
    void initialStreamWindow(int size, Iterable<Exchange> streams) throws Http2Exception {
        int delta = size - initialStream;
        initialStream = size;
        for (Exchange e : streams) {
            if (delta > 0 && e.sendWindow > Integer.MAX_VALUE - delta) {
                throw Http2Exception.connectionError(
                        Http2Error.FLOW_CONTROL_ERROR, "stream %d's send window overflowed", e.streamId);
            }
            e.sendWindow += delta;
        }
    }

    /**
     * The next request whose DATA may go on now, in order, or null. Requests that ended meanwhile are dropped; one that
     * still has none of its window is passed over for the next (each stream has its own window).
     */
    Exchange next(StreamTable streams) {
        if (connection <= 0) {
            return null;
        }
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Exchange e = it.next();
            if (streams.get(e.streamId) != e || e.localEnded) {
                it.remove();
            } else if (allowance(e) > 0) {
                return e;
            }
        }
        return null;
    }

    /** {@code e} has no more DATA to send. */
    void done(Exchange e) {
        waiting.remove(e);
    }

    void clear() {
        waiting.clear();
    }
}
