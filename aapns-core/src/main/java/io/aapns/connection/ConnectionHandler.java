package io.aapns.connection;

import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
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
 * The life cycle of one {@link Connection} (connect, ready, drain, close) and what the server says about the connection
 * (SETTINGS, PING acknowledgements, GOAWAY). The HTTP/2 engine in the pipeline is its {@link Wire}, which reports to
 * it; no child channels. Its collaborators hand requests over from other threads ({@link Outbox}), keep the requests in
 * flight and end them ({@link Exchanges}, which writes with {@link RequestWriter}), watch deadlines
 * ({@link DeadlineSweep}) and keep the connection alive ({@link KeepAlive}). Every field without {@code volatile} is
 * touched only on the channel's event loop; the volatile ones are written there and read anywhere.
 */
final class ConnectionHandler implements KeepAlive.Peer, DeadlineSweep.Peer {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Connection connection;
    private final Observers observers;
    final KeepAlive keepAlive;
    private final DeadlineSweep sweep = new DeadlineSweep(this, System::nanoTime);
    final Exchanges exchanges;
    final Outbox outbox;
    final FrameEvents frames;
    private Wire wire;
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

    private ConnectionHandler(Connection connection, ConnectionOptions options, String authority) {
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
        this.frames = new FrameEvents(this, exchanges);
    }

    static ConnectionHandler create(Connection connection, ConnectionOptions options, String authority) {
        ConnectionHandler handler = new ConnectionHandler(connection, options, authority);
        handler.wire = new FrameWire(handler, options);
        return handler;
    }

    /** The HTTP/2 engine, for the pipeline. */
    Wire wire() {
        return wire;
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
        maxConcurrentStreams = wire.maxConcurrentStreams();
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
        wire.flush();
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
        if (streamId > 0 && ctx != null) {
            wire.reset(streamId, error);
        }
    }

    // ------------------------------------------------------------------ keep-alive

    @Override
    public void writePing(long data) {
        wire.ping(data);
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
        if (ctx.channel().isActive()) {
            wire.goAway();
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

    // ------------------------------------------------------------------ what the wire reports

    /** The wire joined the pipeline. */
    void attached(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Bytes arrived from the server. */
    void onRead() {
        keepAlive.onRead();
    }

    void channelInactive() {
        if (ready.isDone() && state != ConnectionState.CLOSED) {
            closeChannel(lostConnection(), true);
        }
    }

    /** A TLS or I/O failure (not an HTTP/2 one): it ends the connection. */
    void failed(Throwable cause) {
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

    /** An HTTP/2 connection error, ours or the server's; the wire sends GOAWAY and closes the channel after this. */
    void connectionError(Throwable cause) {
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection error on {}: {}", connection.origin(), Frames.describe(cause));
        }
        if (!ready.isDone()) {
            failConnect(startFailure(cause, Kind.PROTOCOL, "HTTP/2 failed at start: "));
        }
    }

    // ------------------------------------------------------------------ what the server says

    /** The server's SETTINGS: the first makes the connection ready; a raised stream limit frees capacity. */
    void onSettings() {
        long before = maxConcurrentStreams;
        maxConcurrentStreams = wire.maxConcurrentStreams();
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

    /** A stream closed; if its request {@code e} was still waiting, it ends as {@link Exchanges#lost} says. */
    void onStreamClosed(Exchange e, int streamId) {
        if (e != null && !e.isDone()) {
            ClosedException cause = closeCause;
            exchanges.lost(
                    e,
                    cause != null ? cause.getMessage() : "stream " + streamId + " closed before the answer",
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
        ClosedException refusal = null;
        for (Exchange e : activeExchanges()) {
            if (e.streamId > lastStreamId && !e.isDone()) {
                if (refusal == null) {
                    refusal = new ClosedException(
                            what + ": streams above the last stream id, such as " + e.streamId + ", were not processed",
                            true);
                }
                exchanges.refused(e, refusal);
            }
        }
        // The wire closes the streams above lastStreamId after this returns; then see if we are done.
        ctx.executor().execute(this::afterExchange);
    }

    // ------------------------------------------------------------------ helpers

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
