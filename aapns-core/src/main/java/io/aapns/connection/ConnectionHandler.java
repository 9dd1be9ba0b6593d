package io.aapns.connection;

import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one {@link Connection}: a Netty {@link Http2ConnectionHandler} used directly (no child channels). It
 * owns the connection's life cycle (connect, ready, drain, close) and dispatches the server's frames. Its collaborators
 * hand requests over from other threads ({@link Outbox}), keep the requests in flight and end them ({@link Exchanges},
 * which writes with {@link RequestWriter}), watch deadlines ({@link DeadlineSweep}) and keep the connection alive
 * ({@link KeepAlive}). Every field without {@code volatile} is touched only on the channel's event loop; the volatile
 * ones are written there and read anywhere.
 */
final class ConnectionHandler extends Http2ConnectionHandler implements KeepAlive.Peer, DeadlineSweep.Peer {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Connection connection;
    private final Observers observers;
    final KeepAlive keepAlive;
    private final DeadlineSweep sweep = new DeadlineSweep(this, System::nanoTime);
    final Exchanges exchanges;
    final Outbox outbox;
    private final long handshakeTimeoutNanos;
    private final CompletableFuture<Connection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private volatile Channel channel;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> graceTimer;
    private boolean closeNotified;

    volatile ConnectionState state = ConnectionState.CONNECTING;
    volatile long maxConcurrentStreams = Integer.MAX_VALUE;
    volatile Throwable lastError;
    volatile Instant connectedSince;
    volatile String goAwayReason;
    volatile int goAwayLastStreamId = -1;
    private volatile ClosedException closeCause;
    private Throwable closeError;

    ConnectionHandler(
            Http2ConnectionDecoder decoder,
            Http2ConnectionEncoder encoder,
            Http2Settings initialSettings,
            Connection connection,
            ConnectionOptions options,
            String authority) {
        super(decoder, encoder, initialSettings, true);
        this.connection = connection;
        this.observers = new Observers(connection, options.listener(), options.events());
        RequestWriter writer = new RequestWriter(
                new AsciiString(authority),
                options.authorization()
                        .map(perConnection -> (Authorization) perConnection.get())
                        .orElse(null));
        this.keepAlive = new KeepAlive(
                this, options.pingInterval().toNanos(), options.pingTimeout().toNanos());
        this.handshakeTimeoutNanos = options.handshakeTimeout().toNanos();
        this.exchanges = new Exchanges(this, writer, observers, options.firstStreamId());
        this.outbox = new Outbox(this, exchanges, options.requestTimeout().toNanos());
        FrameEvents frames = new FrameEvents(this, exchanges);
        connection().addListener(frames);
        decoder.frameListener(frames);
    }

    static ConnectionHandler create(Connection connection, ConnectionOptions options, String authority) {
        return new HandlerBuilder(connection, options, authority).build();
    }

    // ------------------------------------------------------------------ connect phase

    CompletableFuture<Connection> ready() {
        return ready;
    }

    CompletableFuture<Void> closeFuture() {
        return closed;
    }

    @Override
    public boolean isOpen() {
        return state != ConnectionState.CLOSED;
    }

    void channel(Channel ch) {
        this.channel = ch;
        ch.closeFuture().addListener(f -> onChannelClosed());
    }

    /** TCP is up: start the clock on TLS plus the first SETTINGS. */
    void connected() {
        Channel ch = channel;
        handshakeTimer = ch.eventLoop()
                .schedule(
                        () -> failConnect(new ConnectFailedException(
                                Kind.HANDSHAKE_TIMEOUT,
                                "TLS handshake and the server's first SETTINGS did not complete within "
                                        + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms",
                                null)),
                        handshakeTimeoutNanos,
                        TimeUnit.NANOSECONDS);
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
        observers.failed(cause);
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
        return new ConnectFailedException(
                tls ? Kind.TLS_FAILED : otherwise,
                (tls ? "TLS failed: " : otherwiseWhat) + Frames.describe(cause),
                cause);
    }

    private void becomeReady() {
        cancel(handshakeTimer);
        state = ConnectionState.ACTIVE;
        connectedSince = Instant.now();
        maxConcurrentStreams = connection().local().maxActiveStreams();
        keepAlive.start(ctx.executor());
        log.debug("connected to {}; server allows {} concurrent streams", connection.origin(), maxConcurrentStreams);
        observers.opened();
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
            failConnect(new ConnectFailedException(
                    kind,
                    (ctx != null
                                    ? "the connection closed before the server's first SETTINGS"
                                    : "the connection closed during the TLS handshake")
                            + (last != null ? ": " + Frames.describe(last) : ""),
                    last));
        }
        if (state != ConnectionState.CLOSED) {
            // Closed under us before channelInactive reached the handler: fail what is in flight.
            closeChannel(lostConnection(), true);
        }
        outbox.failAll();
        if (!closeNotified) {
            closeNotified = true;
            keepAlive.stop();
            sweep.stop();
            cancel(graceTimer);
            if (ready.isDone() && !ready.isCompletedExceptionally()) {
                observers.closed(closeError);
            }
            closed.complete(null);
            connection.releaseOwnedGroup();
        }
    }

    private ClosedException lostConnection() {
        Throwable last = lastError;
        return new ClosedException(
                "the connection was lost" + (last != null ? ": " + Frames.describe(last) : ""), false, last);
    }

    // ------------------------------------------------------------------ requests

    /** Whether {@code post} may queue a request (neither draining nor closed). Any thread. */
    boolean takesRequests() {
        ConnectionState s = state;
        return s != ConnectionState.CLOSED && s != ConnectionState.DRAINING;
    }

    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Starts a request handed over by the outbox; true if anything was written (event loop). */
    boolean start(Exchange e) {
        return exchanges.start(ctx, e, state == ConnectionState.ACTIVE && ctx != null);
    }

    void flushNow() {
        flush(ctx);
    }

    ClosedException notAccepting() {
        ClosedException cause = closeCause;
        String why = state == ConnectionState.DRAINING
                ? "the connection is draining and takes no new requests"
                : "the connection is closed";
        return new ClosedException(why + (cause != null ? " (" + cause.getMessage() + ")" : ""), true);
    }

    /** The request's last frame was written, or could not be. */
    void onWritten(Exchange e, Throwable failure) {
        exchanges.written(e, failure);
    }

    /** The caller cancelled {@code e}'s future (any thread). */
    void cancelled(Exchange e) {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        try {
            ch.eventLoop().execute(() -> exchanges.cancelled(e));
        } catch (RejectedExecutionException loopStopped) {
            // the connection is gone; nothing to reset
        }
    }

    /** The stream ids ran out: take no more requests. */
    void streamIdsExhausted() {
        drainNow();
    }

    void watchDeadline(long deadlineNanos, long nowNanos) {
        sweep.watch(ctx.executor(), deadlineNanos, nowNanos);
    }

    /**
     * {@code e}'s deadline passed with no answer: it fails and its stream is reset; when the server had the request
     * whole, PING at once: a server that does not answer a PING either is gone.
     */
    @Override
    public void onDeadline(Exchange e) {
        if (exchanges.deadlinePassed(e) && state != ConnectionState.CLOSED) {
            keepAlive.pingNow();
        }
    }

    void reset(int streamId, Http2Error error) {
        if (streamId > 0
                && connection().stream(streamId) != null
                && ctx.channel().isActive()) {
            resetStream(ctx, streamId, error.code(), ctx.newPromise());
            flush(ctx);
        }
    }

    // ------------------------------------------------------------------ keep-alive

    @Override
    public void writePing(long data) {
        encoder().writePing(ctx, false, data, ctx.newPromise());
        flush(ctx);
    }

    @Override
    public void onPingTimeout(long timeoutNanos) {
        ClosedException dead = new ClosedException(
                "no PING acknowledgement within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms: the server or the network is gone",
                false);
        lastError = dead;
        log.debug("closing connection to {}: {}", connection.origin(), dead.getMessage());
        closeChannel(dead, true);
    }

    /** After a request ended: a draining connection closes once nothing is in flight. */
    void afterExchange() {
        if (state == ConnectionState.DRAINING && exchanges.active() == 0 && ctx != null) {
            closeChannel(new ClosedException("the connection drained and closed", true), false);
        }
    }

    @Override
    public List<Exchange> activeExchanges() {
        return ctx == null ? List.of() : exchanges.onStreams();
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
                graceTimer = ctx.executor()
                        .schedule(
                                () -> closeChannel(
                                        new ClosedException(
                                                "the graceful close timed out with the request still in flight", false),
                                        false),
                                Math.max(0, timeout.toNanos()),
                                TimeUnit.NANOSECONDS);
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
                    failConnect(new ConnectFailedException(
                            Kind.CONNECT_FAILED, "closed by the client while connecting", null));
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
            goAway(
                    ctx,
                    connection().remote().lastStreamCreated(),
                    Http2Error.NO_ERROR.code(),
                    Unpooled.EMPTY_BUFFER,
                    ctx.newPromise());
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
        outbox.failAll();
        for (Exchange e : activeExchanges()) {
            if (!e.isDone()) {
                exchanges.lost(e, reason.getMessage(), false, reason.getCause());
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
        keepAlive.onRead();
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
    protected void onConnectionError(
            ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection error on {}: {}", connection.origin(), Frames.describe(cause));
        }
        if (!ready.isDone()) {
            failConnect(startFailure(cause, Kind.PROTOCOL, "HTTP/2 failed at start: "));
        }
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }

    // ------------------------------------------------------------------ what the server says

    /** The server's SETTINGS: the first makes the connection ready; a raised stream limit frees capacity. */
    void onSettings() {
        long before = maxConcurrentStreams;
        maxConcurrentStreams = connection().local().maxActiveStreams();
        if (!ready.isDone() && state == ConnectionState.CONNECTING) {
            becomeReady();
        } else if (maxConcurrentStreams > before && state == ConnectionState.ACTIVE) {
            observers.capacityIncreased();
        }
    }

    void onPingAck(long data) {
        if (keepAlive.onAck(data) && state == ConnectionState.ACTIVE) {
            observers.capacityIncreased();
        }
    }

    /** Netty closed a stream; if its request was still waiting, it ends as {@link Exchanges#lost} says. */
    void onStreamClosed(Http2Stream stream) {
        Exchange e = exchanges.waiting(stream);
        if (e != null) {
            ClosedException cause = closeCause;
            exchanges.lost(
                    e,
                    cause != null ? cause.getMessage() : "stream " + stream.id() + " closed before the answer",
                    false,
                    cause);
        }
    }

    /**
     * GOAWAY: the connection drains; requests above {@code lastStreamId} fail as unprocessed, the others run to their
     * answers. At start it refuses the connection.
     */
    void onGoAway(int lastStreamId, long errorCode, ByteBuf debugData) {
        String reason = Frames.parseGoAwayReason(debugData);
        goAwayReason = reason;
        goAwayLastStreamId = lastStreamId;
        Http2Error error = Http2Error.valueOf(errorCode);
        String what = "the server sent GOAWAY (" + (error != null ? error.name() : "error " + errorCode)
                + (reason != null ? ", " + reason : "") + ", last stream " + lastStreamId + ")";
        log.debug("{} on {}", what, connection.origin());
        observers.goAway(lastStreamId, reason);
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
                exchanges.lost(
                        e,
                        what + ": stream " + e.streamId + " is above the last stream id, so the server did "
                                + "not process it",
                        true,
                        null);
            }
        }
        // Netty closes the streams above lastStreamId after this returns; then see if we are done.
        ctx.executor().execute(this::afterExchange);
    }

    // ------------------------------------------------------------------ helpers

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
