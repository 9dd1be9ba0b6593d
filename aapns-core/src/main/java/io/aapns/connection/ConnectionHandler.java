package io.aapns.connection;

import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.spi.ApnsListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one {@link Connection}: a Netty {@link Http2ConnectionHandler} used directly (no
 * child channels). It owns the connection's life cycle (connect, ready, drain, close) and turns
 * frames into outcomes of {@link Exchange}s; its collaborators write requests
 * ({@link RequestWriter}), watch deadlines ({@link DeadlineSweep}) and keep the connection alive
 * ({@link KeepAlive}). Every field without {@code volatile} is touched only on the channel's event
 * loop; the volatile ones are written there and read anywhere.
 *
 * <p>How a stream that ends without a complete answer is reported, in one place
 * ({@link #lost}): a final {@code :status} already received completes the request with that
 * status (the server processed it); otherwise the request fails with {@link ClosedException},
 * safe to retry exactly when its last frame had not been written.
 */
final class ConnectionHandler extends Http2ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Connection connection;
    private final ApnsListener listener;
    /** False for {@link ApnsListener#NONE}: the hot path then allocates nothing for events. */
    private final boolean listening;
    /** False unless the listener wants per-request events: then requests allocate nothing for them. */
    private final boolean requestEvents;
    private final ConnectionEvents events;
    private final RequestWriter writer;
    private final KeepAlive keepAlive;
    private final DeadlineSweep sweep = new DeadlineSweep(this);
    private final long requestTimeoutNanos;
    private final long handshakeTimeoutNanos;
    private final Http2Connection.PropertyKey exchangeKey;

    private final Queue<Exchange> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final CompletableFuture<Connection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private volatile Channel channel;
    private ChannelHandlerContext ctx;
    private int nextStreamId;
    private int active;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> graceTimer;
    private boolean closeNotified;

    volatile ConnectionState state = ConnectionState.CONNECTING;
    volatile int inFlight;
    volatile long maxConcurrentStreams = Integer.MAX_VALUE;
    volatile long sent;
    volatile long answered;
    volatile long failed;
    volatile Throwable lastError;
    volatile Instant connectedSince;
    volatile String goAwayReason;
    volatile int goAwayLastStreamId = -1;
    private volatile ClosedException closeCause;
    private Throwable closeError;

    private ConnectionHandler(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                              Http2Settings initialSettings, Connection connection, ConnectionOptions options,
                              String authority) {
        super(decoder, encoder, initialSettings, true);
        this.connection = connection;
        this.listener = options.listener();
        this.listening = listener != ApnsListener.NONE;
        this.requestEvents = listening && listener.wantsRequestEvents();
        this.events = options.events();
        this.writer = new RequestWriter(new AsciiString(authority),
                options.authorization().map(perConnection -> (Authorization) perConnection.get()).orElse(null));
        this.keepAlive = new KeepAlive(this, options.pingInterval().toNanos(), options.pingTimeout().toNanos());
        this.requestTimeoutNanos = options.requestTimeout().toNanos();
        this.handshakeTimeoutNanos = options.handshakeTimeout().toNanos();
        this.nextStreamId = options.firstStreamId();
        this.exchangeKey = connection().newKey();
        connection().addListener(new StreamEvents());
        decoder.frameListener(new FrameEvents());
    }

    static ConnectionHandler create(Connection connection, ConnectionOptions options, String authority) {
        return new Builder(connection, options, authority).build();
    }

    /** Netty's builder wires decoder, encoder and flow controllers. */
    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<ConnectionHandler, Builder> {
        private final Connection connection;
        private final ConnectionOptions options;
        private final String authority;

        Builder(Connection connection, ConnectionOptions options, String authority) {
            this.connection = connection;
            this.options = options;
            this.authority = authority;
            // A client connection whose DATA frames share the window evenly: APNs requests carry
            // no priorities, and Netty's default weighted-fair distributor keeps a priority tree
            // per stream (about 3.5 % of the client's CPU under load, async-profiler).
            Http2Connection h2 = new DefaultHttp2Connection(false);
            h2.remote().flowController(new DefaultHttp2RemoteFlowController(h2, new UniformStreamByteDistributor(h2)));
            connection(h2);
            // close() closes now; GOAWAY is sent explicitly where it belongs.
            decoupleCloseAndGoAway(true);
            initialSettings(new Http2Settings().pushEnabled(false));
            headerSensitivityDetector(RequestWriter.PER_REQUEST_VALUES);
            // Replaced in the constructor; the builder insists on one.
            frameListener(new Http2EventAdapter());
        }

        @Override
        protected ConnectionHandler build() {
            return super.build();
        }

        @Override
        protected ConnectionHandler build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                          Http2Settings initialSettings) {
            return new ConnectionHandler(decoder, encoder, initialSettings, connection, options, authority);
        }
    }

    // ------------------------------------------------------------------ connect phase

    CompletableFuture<Connection> ready() {
        return ready;
    }

    CompletableFuture<Void> closeFuture() {
        return closed;
    }

    boolean isOpen() {
        return state != ConnectionState.CLOSED;
    }

    boolean unresponsive() {
        return keepAlive.unresponsive;
    }

    long pingsAcknowledged() {
        return keepAlive.acknowledged;
    }

    void channel(Channel ch) {
        this.channel = ch;
        ch.closeFuture().addListener(f -> onChannelClosed());
    }

    /** TCP is up: start the clock on TLS plus the first SETTINGS. */
    void connected() {
        Channel ch = channel;
        handshakeTimer = ch.eventLoop().schedule(() -> failConnect(new ConnectFailedException(
                Kind.HANDSHAKE_TIMEOUT, "TLS handshake and the server's first SETTINGS did not complete within "
                + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms", null)),
                handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Fails the connect future (first failure wins) and closes the channel. */
    void failConnect(ConnectFailedException cause) {
        if (ready.isDone()) {
            return;
        }
        state = ConnectionState.CLOSED;
        lastError = cause;
        cancel(handshakeTimer);
        log.debug("connection to {} failed: {}", connection.origin(), cause.getMessage());
        ready.completeExceptionally(cause);
        notifyListener(() -> listener.connectionFailed(connection.origin(), cause));
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        } else {
            closed.complete(null);
            connection.releaseOwnedGroup();
        }
    }

    /** A TLS or start-up failure as a ConnectFailedException of the right kind. */
    private static ConnectFailedException startFailure(Throwable cause, Kind otherwise, String otherwiseWhat) {
        boolean tls = Frames.isTlsFailure(cause);
        return new ConnectFailedException(tls ? Kind.TLS_FAILED : otherwise,
                (tls ? "TLS failed: " : otherwiseWhat) + Frames.describe(cause), cause);
    }

    private void becomeReady() {
        cancel(handshakeTimer);
        state = ConnectionState.ACTIVE;
        connectedSince = Instant.now();
        maxConcurrentStreams = connection().local().maxActiveStreams();
        keepAlive.start(ctx.executor(), System.nanoTime());
        log.debug("connected to {}; server allows {} concurrent streams", connection.origin(), maxConcurrentStreams);
        notifyListener(() -> listener.connectionOpened(connection));
        ready.complete(connection);
    }

    private void onChannelClosed() {
        // Let the pipeline's channelInactive events (which know more) run first.
        try {
            channel.eventLoop().execute(this::afterChannelClosed);
        } catch (RejectedExecutionException loopStopped) {
            afterChannelClosed();
        }
    }

    private void afterChannelClosed() {
        if (!ready.isDone()) {
            Throwable last = lastError;
            // A close without a TLS error, even after ALPN, is the server going away (a drain, an
            // overload): retryable. Protocol failures proper are reported where they are seen.
            Kind kind = Frames.isTlsFailure(last) ? Kind.TLS_FAILED : Kind.CONNECT_FAILED;
            failConnect(new ConnectFailedException(kind, (ctx != null
                    ? "the connection closed before the server's first SETTINGS"
                    : "the connection closed during the TLS handshake")
                    + (last != null ? ": " + Frames.describe(last) : ""), last));
        }
        if (state != ConnectionState.CLOSED) {
            // Closed under us before channelInactive reached the handler: fail what is in flight.
            closeChannel(lostConnection(), true);
        }
        failQueued();
        if (!closeNotified) {
            closeNotified = true;
            keepAlive.stop();
            sweep.stop();
            cancel(graceTimer);
            if (ready.isDone() && !ready.isCompletedExceptionally()) {
                Throwable reported = closeError;
                notifyListener(() -> listener.connectionClosed(connection, reported));
            }
            closed.complete(null);
            connection.releaseOwnedGroup();
        }
    }

    private ClosedException lostConnection() {
        Throwable last = lastError;
        return new ClosedException("the connection was lost" + (last != null ? ": " + Frames.describe(last) : ""),
                false, last);
    }

    // ------------------------------------------------------------------ posting

    CompletableFuture<Response> post(Request request) {
        ConnectionState s = state;
        if (s == ConnectionState.CLOSED || s == ConnectionState.DRAINING) {
            return CompletableFuture.failedFuture(notAccepting(s));
        }
        ResponseFuture future = new ResponseFuture(this);
        future.exchange = post(request, future, future);
        return future;
    }

    void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        ConnectionState s = state;
        if (s == ConnectionState.CLOSED || s == ConnectionState.DRAINING) {
            Exchange.end(callback, null, notAccepting(s));
            return;
        }
        post(request, callback, null);
    }

    private Exchange post(Request request, BiConsumer<? super Response, ? super Throwable> callback,
                          ResponseFuture future) {
        long now = System.nanoTime();
        Exchange e = new Exchange(this, request, callback, future, now,
                request.deadlineNanos(now, requestTimeoutNanos));
        if (request.payloadBuffer != null) {
            // The request does not own its buffer: take our own reference before returning.
            e.payload = request.payloadBuffer.retainedDuplicate();
        }
        queue.offer(e);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException stopped) {
                drainScheduled.set(false);
                failQueued();
            }
        }
        return e;
    }

    private ClosedException notAccepting(ConnectionState s) {
        ClosedException cause = closeCause;
        String why = s == ConnectionState.DRAINING ? "the connection is draining and takes no new requests"
                : "the connection is closed";
        return new ClosedException(why + (cause != null ? " (" + cause.getMessage() + ")" : ""), true);
    }

    /** Fails everything still queued; the server never saw any of it. */
    private void failQueued() {
        for (Exchange e; (e = queue.poll()) != null; ) {
            fail(e, notAccepting(state));
        }
    }

    /** Writes every queued request, then flushes once. */
    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        for (Exchange e; (e = queue.poll()) != null; ) {
            try {
                wrote |= start(e);
            } catch (RuntimeException failure) {
                // an Authorization that throws, say: this request fails, the others go on
                log.warn("could not send a request to {}", connection.origin(), failure);
                fail(e, e.started
                        ? new ClosedException("the request failed while being sent: " + failure.getMessage(), false,
                                failure)
                        : new ApnsException("the request could not be sent: " + failure.getMessage(), failure));
            }
        }
        if (wrote) {
            flush(ctx);
        }
    }

    private boolean start(Exchange e) {
        if (e.isDone()) {
            e.releasePayload(); // cancelled by the caller before it was sent
            return false;
        }
        if (state != ConnectionState.ACTIVE || ctx == null) {
            fail(e, notAccepting(state));
            return false;
        }
        long now = System.nanoTime();
        if (now - e.deadlineNanos >= 0) {
            fail(e, new RequestTimeoutException("the deadline passed before the request was sent", false));
            return false;
        }
        Http2Connection.Endpoint<?> local = connection().local();
        if (!local.canOpenStream()) {
            fail(e, new BlockedException(local.maxActiveStreams()));
            return false;
        }
        Http2Headers headers = writer.headers(e);
        try {
            RequestWriter.checkSize(headers, encoder().configuration().headersConfiguration().maxHeaderListSize());
        } catch (ApnsException tooLarge) {
            fail(e, tooLarge);
            return false;
        }
        int streamId = nextStreamId;
        if (streamId <= 0) {
            fail(e, new ClosedException("the connection has used all its stream ids", true));
            drainNow();
            return false;
        }
        nextStreamId = streamId + 2;

        int length = e.request.payloadLength();
        ChannelPromise headersWritten = ctx.newPromise();
        encoder().writeHeaders(ctx, streamId, headers, 0, length == 0, headersWritten);
        Http2Stream stream = connection().stream(streamId);
        if (stream == null || (headersWritten.isDone() && !headersWritten.isSuccess())) {
            Throwable cause = headersWritten.cause();
            boolean encoding = ctx.channel().isActive() && Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null;
            fail(e, encoding
                    ? new ApnsException("the request could not be encoded: " + Frames.describe(cause), cause)
                    : new ClosedException("the request could not be written: " + Frames.describe(cause), true, cause));
            return true;
        }
        stream.setProperty(exchangeKey, e);
        e.streamId = streamId;
        e.started = true;
        active++;
        inFlight = active;
        sent++;
        ChannelPromise lastFrame = length == 0 ? headersWritten : writer.writeData(ctx, encoder(), streamId, e);
        if (length == 0) {
            e.releasePayload();
        }
        lastFrame.addListener(e); // -> onWritten
        sweep.watch(ctx.executor(), e.deadlineNanos, now);
        if (requestEvents) {
            Request r = e.request;
            notifyListener(() -> listener.requestSent(connection, r));
        }
        return true;
    }

    /** The request's last frame was written, or could not be. */
    void onWritten(Exchange e, Throwable failure) {
        if (failure == null) {
            e.written = true;
            return;
        }
        if (!e.isDone()) {
            int id = e.streamId;
            fail(e, new ClosedException("the request could not be written: " + Frames.describe(failure), true,
                    failure));
            reset(id, Http2Error.CANCEL);
        }
    }

    /** The caller cancelled {@code e}'s future (any thread). */
    void cancelled(Exchange e) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            ch.eventLoop().execute(() -> onCancelled(e));
        } catch (RejectedExecutionException loopStopped) {
            // the connection is gone; nothing to reset
        }
    }

    /** The caller cancelled the future: reset the stream if it is open, so the server stops too. */
    private void onCancelled(Exchange e) {
        if (!e.started) {
            return; // still queued: start() skips it; or already finished
        }
        int id = e.streamId;
        finish(e);
        failed++;
        if (requestEvents) {
            long elapsed = System.nanoTime() - e.startNanos;
            notifyListener(() -> listener.requestFailed(connection, e.request,
                    new CancellationException("cancelled by the caller"), elapsed));
        }
        reset(id, Http2Error.CANCEL);
        afterExchange();
    }

    /**
     * {@code e}'s deadline passed with no answer: fail it, reset its stream, and, when the server
     * had the request whole, PING at once: a server that does not answer a PING either is gone.
     */
    void onDeadline(Exchange e) {
        if (e.isDone()) {
            return;
        }
        int id = e.streamId;
        boolean written = e.written;
        fail(e, new RequestTimeoutException("no answer before the deadline; stream " + id
                + " was reset with CANCEL", written));
        reset(id, Http2Error.CANCEL);
        if (written && state != ConnectionState.CLOSED) {
            keepAlive.pingNow();
        }
    }

    private void reset(int streamId, Http2Error error) {
        if (streamId > 0 && connection().stream(streamId) != null && ctx.channel().isActive()) {
            resetStream(ctx, streamId, error.code(), ctx.newPromise());
            flush(ctx);
        }
    }

    // ------------------------------------------------------------------ keep-alive

    void writePing(long data) {
        encoder().writePing(ctx, false, data, ctx.newPromise());
        flush(ctx);
    }

    void onPingTimeout(long timeoutNanos) {
        ClosedException dead = new ClosedException("no PING acknowledgement within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: the server or the network is gone", false);
        lastError = dead;
        log.debug("closing connection to {}: {}", connection.origin(), dead.getMessage());
        closeChannel(dead, true);
    }

    // ------------------------------------------------------------------ answers and failures

    private Exchange exchange(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(exchangeKey);
    }

    /**
     * {@code e}'s stream ended without a complete answer, for the reason {@code why}. A final
     * status already received means the server processed the request: complete with it (the body,
     * and so the reason, only if it arrived). Otherwise fail; safe to retry exactly when the
     * request's last frame had not been written ({@code refused} says the server itself declared
     * it unprocessed).
     */
    private void lost(Exchange e, String why, boolean refused, Throwable cause) {
        if (e.answered()) {
            complete(e);
            return;
        }
        boolean safe = refused || !e.written;
        fail(e, new ClosedException(why + (refused ? ""
                : e.written ? "; the server may have processed the request" : "; the request was not sent whole"),
                safe, cause));
    }

    private void complete(Exchange e) {
        Response response = e.response();
        if (e.status == 403 && e.authorization != null
                && "ExpiredProviderToken".equals(response.reason().orElse(null))) {
            writer.authorization().expired(e.authorization);
        }
        finish(e);
        answered++;
        if (requestEvents) {
            long elapsed = System.nanoTime() - e.startNanos;
            notifyListener(() -> listener.requestAnswered(connection, e.request, response, elapsed));
        }
        e.end(response, null);
        afterExchange();
    }

    private void fail(Exchange e, Throwable cause) {
        finish(e);
        failed++;
        if (requestEvents) {
            long elapsed = System.nanoTime() - e.startNanos;
            notifyListener(() -> listener.requestFailed(connection, e.request, cause, elapsed));
        }
        e.end(null, cause);
        afterExchange();
    }

    private void finish(Exchange e) {
        e.releasePayload();
        if (e.started) {
            e.started = false;
            active--;
            inFlight = active;
            Http2Stream stream = connection().stream(e.streamId);
            if (stream != null) {
                stream.removeProperty(exchangeKey);
            }
        }
    }

    private void afterExchange() {
        if (state == ConnectionState.DRAINING && active == 0 && ctx != null) {
            closeChannel(new ClosedException("the connection drained and closed", true), false);
        }
    }

    List<Exchange> activeExchanges() {
        List<Exchange> list = new ArrayList<>();
        if (ctx != null) {
            try {
                connection().forEachActiveStream(stream -> {
                    Exchange e = stream.getProperty(exchangeKey);
                    if (e != null) {
                        list.add(e);
                    }
                    return true;
                });
            } catch (Http2Exception impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return list;
    }

    // ------------------------------------------------------------------ closing

    void close() {
        onLoop(() -> closeChannel(new ClosedException("the connection was closed by the client", false), false));
    }

    CompletableFuture<Void> closeGracefully(java.time.Duration timeout) {
        onLoop(() -> {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            drainNow();
            if (graceTimer == null && state == ConnectionState.DRAINING) {
                graceTimer = ctx.executor().schedule(() -> closeChannel(new ClosedException(
                        "the graceful close timed out with the request still in flight", false), false),
                        Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            }
        });
        return closed;
    }

    /** Runs a close on the event loop; while still connecting, the connect fails instead. */
    private void onLoop(Runnable close) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            ch.eventLoop().execute(() -> {
                if (!ready.isDone()) {
                    failConnect(new ConnectFailedException(Kind.CONNECT_FAILED, "closed by the client while connecting",
                            null));
                    return;
                }
                close.run();
            });
        } catch (RejectedExecutionException alreadyStopped) {
            // nothing left to close
        }
    }

    /** Stops new streams, tells the server with GOAWAY, and closes once in-flight requests end. */
    private void drainNow() {
        if (state == ConnectionState.ACTIVE) {
            state = ConnectionState.DRAINING;
        }
        if (state != ConnectionState.DRAINING) {
            return;
        }
        if (!connection().goAwaySent() && ctx.channel().isActive()) {
            goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
                    Unpooled.EMPTY_BUFFER, ctx.newPromise());
            flush(ctx);
        }
        afterExchange();
    }

    /** Closes the channel now; requests in flight end as {@link #lost} says, with {@code reason}. */
    private void closeChannel(ClosedException reason, boolean error) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        closeCause = reason;
        if (error) {
            closeError = reason.getCause() != null ? reason.getCause() : reason;
            if (lastError == null) {
                lastError = closeError;
            }
        }
        failQueued();
        for (Exchange e : activeExchanges()) {
            if (!e.isDone()) {
                lost(e, reason.getMessage(), false, reason.getCause());
            }
        }
        keepAlive.stop();
        sweep.stop();
        cancel(graceTimer);
        if (ctx != null) {
            ctx.close();
        } else if (channel != null) {
            channel.close();
        }
    }

    // ------------------------------------------------------------------ Netty callbacks

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        keepAlive.onRead(System.nanoTime());
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ready.isDone() && state != ConnectionState.CLOSED) {
            closeChannel(lostConnection(), true);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(ctx, cause); // Netty's HTTP/2 error handling: GOAWAY, RST_STREAM
            return;
        }
        // TLS and I/O failures: Netty would pass them down the pipeline; they end the connection.
        if (!ready.isDone()) {
            lastError = cause;
            failConnect(startFailure(cause, Kind.CONNECT_FAILED, "the connection failed at start: "));
            return;
        }
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection to {} failed: {}", connection.origin(), Frames.describe(cause));
            closeChannel(new ClosedException("the connection failed: " + Frames.describe(cause), false, cause), true);
        }
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                                     Http2Exception http2Ex) {
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection error on {}: {}", connection.origin(), Frames.describe(cause));
        }
        if (!ready.isDone()) {
            failConnect(startFailure(cause, Kind.PROTOCOL, "HTTP/2 failed at start: "));
        }
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    /** Reacts to stream life-cycle events from Netty's connection model. */
    private final class StreamEvents extends Http2ConnectionAdapter {
        @Override
        public void onStreamClosed(Http2Stream stream) {
            Exchange e = stream.getProperty(exchangeKey);
            if (e != null && !e.isDone()) {
                ClosedException cause = closeCause;
                lost(e, cause != null ? cause.getMessage() : "stream " + stream.id() + " closed before the answer",
                        false, cause);
            }
        }

        @Override
        public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
            String reason = Frames.parseGoAwayReason(debugData);
            goAwayReason = reason;
            goAwayLastStreamId = lastStreamId;
            Http2Error error = Http2Error.valueOf(errorCode);
            String what = "the server sent GOAWAY (" + (error != null ? error.name() : "error " + errorCode)
                    + (reason != null ? ", " + reason : "") + ", last stream " + lastStreamId + ")";
            log.debug("{} on {}", what, connection.origin());
            notifyListener(() -> listener.goAwayReceived(connection, lastStreamId, reason));
            tellEvents(() -> events.goAwayReceived(connection, lastStreamId, reason));
            if (!ready.isDone()) {
                failConnect(new ConnectFailedException(Kind.REJECTED, what, null));
                return;
            }
            if (error != Http2Error.NO_ERROR || reason != null) {
                lastError = new ClosedException(what, false);
            }
            if (state == ConnectionState.ACTIVE) {
                state = ConnectionState.DRAINING;
            }
            for (Exchange e : activeExchanges()) {
                if (e.streamId > lastStreamId && !e.isDone()) {
                    lost(e, what + ": stream " + e.streamId + " is above the last stream id, so the server did not "
                            + "process it", true, null);
                }
            }
            // Netty closes the streams above lastStreamId after this returns; then see if we are done.
            ctx.executor().execute(ConnectionHandler.this::afterExchange);
        }
    }

    /** Reads frames from the server. */
    private final class FrameEvents extends Http2EventAdapter {
        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            long before = maxConcurrentStreams;
            maxConcurrentStreams = connection().local().maxActiveStreams();
            if (!ready.isDone() && state == ConnectionState.CONNECTING) {
                becomeReady();
            } else if (maxConcurrentStreams > before && state == ConnectionState.ACTIVE) {
                tellEvents(() -> events.capacityIncreased(connection));
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            Exchange e = exchange(streamId);
            if (e == null || e.isDone()) {
                return;
            }
            if (e.status < 0) {
                int status = Frames.parseStatus(headers.status());
                if (status < 0) {
                    fail(e, new ClosedException("the server answered stream " + streamId
                            + " without a valid :status", false));
                    reset(streamId, Http2Error.PROTOCOL_ERROR);
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

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                              boolean endOfStream) {
            int consumed = data.readableBytes() + padding;
            Exchange e = exchange(streamId);
            if (e == null || e.isDone()) {
                return consumed;
            }
            if (e.status < 0) {
                fail(e, new ClosedException("the server sent DATA before HEADERS on stream " + streamId, false));
                reset(streamId, Http2Error.PROTOCOL_ERROR);
                return consumed;
            }
            e.append(data);
            if (endOfStream) {
                complete(e);
            }
            return consumed;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            Exchange e = exchange(streamId);
            if (e == null || e.isDone()) {
                return;
            }
            boolean refused = errorCode == Http2Error.REFUSED_STREAM.code();
            Http2Error error = Http2Error.valueOf(errorCode);
            lost(e, refused
                    ? "the server refused stream " + streamId + " (REFUSED_STREAM): it did not process the request"
                    : "the server reset stream " + streamId + " with "
                            + (error != null ? error.name() : "error " + errorCode), refused, null);
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext ctx, long data) {
            if (keepAlive.onAck(data) && state == ConnectionState.ACTIVE) {
                tellEvents(() -> events.capacityIncreased(connection));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void notifyListener(Runnable event) {
        if (!listening) {
            return;
        }
        try {
            event.run();
        } catch (RuntimeException e) {
            log.warn("ApnsListener threw; ignored", e);
        }
    }

    private void tellEvents(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            log.warn("ConnectionEvents threw; ignored", e);
        }
    }
}
