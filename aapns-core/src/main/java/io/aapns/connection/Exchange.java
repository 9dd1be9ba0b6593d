package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through a connection: queued, then on a stream, then answered or failed. It collects the
 * answer (status, headers, body) as frames arrive, and listens for its last frame to be written, so that a request
 * costs no listener object. Event loop only, except for the fields the posting thread sets before handing it over.
 */
final class Exchange implements ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Bodies are small JSON objects; anything past this is dropped rather than buffered. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final ConnectionHandler handler;
    final Request request;
    private final BiConsumer<? super Response, ? super Throwable> callback;
    /** The future {@code post(Request)} returned (null for a callback post): the caller may cancel it. */
    final CompletableFuture<Response> future;

    final long startNanos;
    final long deadlineNanos;
    private boolean ended;
    /** Our own reference to the request's payload buffer until it is written. */
    ByteBuf payload;

    int streamId = -1;
    /** On a stream and counted in flight. */
    boolean started;
    /** The request's last frame (END_STREAM) went out: the server may have it whole. */
    boolean written;
    /** The final status, once its HEADERS arrived; -1 before. */
    int status = -1;

    Http2Headers headers;
    private byte[] body;
    private int bodyLength;
    /** Its header block's size as the server counts it (names, values, 32 per header), set when it is built. */
    long headerListSize;
    /** The provider token this request carried, if any. */
    CharSequence authorization;

    // the state of the request's stream on the wire (FrameWire)
    /** Bytes this stream may still send (the server's window for it). */
    int sendWindow;
    /** Bytes the server may still send on this stream before our next WINDOW_UPDATE. */
    int receiveWindow;
    /** Payload bytes framed so far. */
    int dataSent;
    /** Our END_STREAM is framed (or the stream was reset). */
    boolean localEnded;
    /** The server's END_STREAM arrived (or the stream was reset). */
    boolean remoteEnded;

    Exchange(
            ConnectionHandler handler,
            Request request,
            BiConsumer<? super Response, ? super Throwable> callback,
            CompletableFuture<Response> future,
            long startNanos,
            long deadlineNanos) {
        this.handler = handler;
        this.request = request;
        this.callback = callback;
        this.future = future;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** Whether the stream is closed on the wire (FrameWire). */
    boolean closed() {
        return localEnded && remoteEnded;
    }

    /** Whether the final {@code :status} arrived: the server processed the request. */
    boolean answered() {
        return status >= 200;
    }

    void append(ByteBuf data) {
        int n = Math.min(data.readableBytes(), MAX_BODY_BYTES - bodyLength);
        if (n <= 0) {
            return;
        }
        if (body == null) {
            body = new byte[Math.max(n, 256)];
        } else if (body.length < bodyLength + n) {
            body = Arrays.copyOf(body, Math.max(bodyLength + n, body.length * 2));
        }
        data.getBytes(data.readerIndex(), body, bodyLength, n);
        bodyLength += n;
    }

    /** The answer as received so far: its status, headers and the body that arrived (maybe none). */
    Response response() {
        return Response.received(status, headers, body == null ? null : Arrays.copyOf(body, bodyLength));
    }

    @Override
    public void operationComplete(ChannelFuture write) {
        handler.onWritten(this, write.isSuccess() ? null : write.cause());
    }

    /** Answered, failed, or cancelled by the caller. */
    boolean isDone() {
        return ended || (future != null && future.isDone());
    }

    /** Hands the outcome to the caller, once. */
    void end(Response response, Throwable failure) {
        if (!ended) {
            ended = true;
            end(callback, response, failure);
        }
    }

    /** Hands an answer or a failure to a {@code post} callback; a callback that throws is logged. */
    static void end(BiConsumer<? super Response, ? super Throwable> callback, Response response, Throwable failure) {
        try {
            callback.accept(response, failure);
        } catch (Throwable thrown) { // as a CompletableFuture stage would: never into Netty's frame handling
            log.warn("a Connection.post callback threw; ignored", thrown);
        }
    }

    void releasePayload() {
        ByteBuf p = payload;
        if (p != null) {
            payload = null;
            p.release();
        }
    }
}
