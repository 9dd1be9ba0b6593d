package io.aapns.connection;

import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.spi.ApnsListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine of one {@link Connection}: a Netty {@link Http2ConnectionHandler} used directly (no
 * child channels). Every field without {@code volatile} is touched only on the channel's event
 * loop; the volatile ones are written there and read anywhere.
 */
final class ConnectionHandler extends Http2ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    /** Bodies are small JSON objects; anything past this is dropped rather than buffered. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
    private static final String EXPIRED_PROVIDER_TOKEN = "ExpiredProviderToken";

    private final Connection connection;
    private final ApnsListener listener;
    /** False for {@link ApnsListener#NONE}: the hot path then allocates nothing for events. */
    private final boolean listening;
    /** False unless the listener wants per-request events: then requests allocate nothing for them. */
    private final boolean requestEvents;
    /** This connection's provider tokens, or null for certificate authentication. */
    private final Authorization authorization;
    private final AsciiString authority;
    /** The last provider token seen and its bytes (event loop only). */
    private CharSequence lastToken;
    private AsciiString lastTokenAscii;
    private final long requestTimeoutNanos;
    private final long pingIntervalNanos;
    private final long pingTimeoutNanos;
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
    private ScheduledFuture<?> pingTimer;
    private ScheduledFuture<?> pingTimeoutTimer;
    private ScheduledFuture<?> graceTimer;
    /** Fires at {@link #sweepAtNanos}, the earliest deadline in flight when it was set. */
    private ScheduledFuture<?> sweepTimer;
    private long sweepAtNanos;
    private final Runnable sweepTask = this::sweepDeadlines;
    private long lastReadNanos;
    private long pingData;
    private boolean pingOutstanding;
    private boolean closeNotified;

    volatile ConnectionState state = ConnectionState.CONNECTING;
    volatile int inFlight;
    volatile long maxConcurrentStreams = Integer.MAX_VALUE;
    volatile long sent;
    volatile long answered;
    volatile long failed;
    volatile long pingsAcknowledged;
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
        this.authorization = options.authorization().map(perConnection -> (Authorization) perConnection.get())
                .orElse(null);
        this.authority = new AsciiString(authority);
        this.requestTimeoutNanos = options.requestTimeout().toNanos();
        this.pingIntervalNanos = options.pingInterval().toNanos();
        this.pingTimeoutNanos = options.pingTimeout().toNanos();
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
            // Values that change with every request go out as literals, not into the HPACK table:
            // indexed, each new path and apns-id would push the stable entries (topic, push type,
            // the provider token of ~200 bytes) out of the 4 KB table after about twenty requests,
            // so that they would have to be sent again in full.
            headerSensitivityDetector(PER_REQUEST_VALUES);
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

    private static final AsciiString PATH = Http2Headers.PseudoHeaderName.PATH.value();

    /** Keeps {@link #isPerRequest} headers out of the HPACK table (sent as never-indexed literals). */
    static final Http2HeadersEncoder.SensitivityDetector PER_REQUEST_VALUES = (name, value) -> isPerRequest(name);

    /** Headers whose values are unique to a request: never worth an HPACK table entry. */
    static boolean isPerRequest(CharSequence name) {
        return PATH.contentEquals(name) || ApnsHeaders.APNS_ID.contentEquals(name)
                || ApnsHeaders.APNS_EXPIRATION.contentEquals(name) || ApnsHeaders.APNS_COLLAPSE_ID.contentEquals(name);
    }

    // ------------------------------------------------------------------ connect phase

    CompletableFuture<Connection> ready() {
        return ready;
    }

    CompletableFuture<Void> closeFuture() {
        return closed;
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

    private void becomeReady() {
        cancel(handshakeTimer);
        state = ConnectionState.ACTIVE;
        connectedSince = Instant.now();
        maxConcurrentStreams = connection().local().maxActiveStreams();
        lastReadNanos = System.nanoTime();
        if (pingIntervalNanos > 0) {
            schedulePing(pingIntervalNanos);
        }
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
            Kind kind = isTlsFailure(last) ? Kind.TLS_FAILED : Kind.CONNECT_FAILED;
            failConnect(new ConnectFailedException(kind, (ctx != null
                    ? "the connection closed before the server's first SETTINGS"
                    : "the connection closed during the TLS handshake")
                    + (last != null ? ": " + describe(last) : ""), last));
        }
        if (state != ConnectionState.CLOSED) {
            // Closed under us before channelInactive reached the handler: fail what is in flight.
            Throwable last = lastError;
            closeChannel(new ClosedException("the connection was lost" + (last != null ? ": " + describe(last) : ""),
                    false, last), true);
        }
        failQueued();
        if (!closeNotified) {
            closeNotified = true;
            cancel(pingTimer);
            cancel(pingTimeoutTimer);
            cancel(graceTimer);
            cancel(sweepTimer);
            if (ready.isDone() && !ready.isCompletedExceptionally()) {
                Throwable reported = closeError;
                notifyListener(() -> listener.connectionClosed(connection, reported));
            }
            closed.complete(null);
            connection.releaseOwnedGroup();
        }
    }

    // ------------------------------------------------------------------ posting

    CompletableFuture<Response> post(Request request) {
        ConnectionState s = state;
        if (s == ConnectionState.CLOSED || s == ConnectionState.DRAINING) {
            return CompletableFuture.failedFuture(notAccepting(s));
        }
        ResponseFuture future = new ResponseFuture();
        future.exchange = post(request, future, future);
        return future;
    }

    void post(Request request, BiConsumer<? super Response, ? super Throwable> callback) {
        ConnectionState s = state;
        if (s == ConnectionState.CLOSED || s == ConnectionState.DRAINING) {
            end(callback, null, notAccepting(s));
            return;
        }
        post(request, callback, null);
    }

    private Exchange post(Request request, BiConsumer<? super Response, ? super Throwable> callback,
                          ResponseFuture future) {
        long now = System.nanoTime();
        Exchange e = new Exchange(request, callback, future, now, request.deadlineNanos(now, requestTimeoutNanos));
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

    /** Hands an answer or a failure to a {@code post} callback; a callback that throws is logged. */
    private static void end(BiConsumer<? super Response, ? super Throwable> callback, Response response,
                            Throwable failure) {
        try {
            callback.accept(response, failure);
        } catch (Throwable thrown) { // as a CompletableFuture stage would: never into Netty's frame handling
            log.warn("a Connection.post callback threw; ignored", thrown);
        }
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
                fail(e, new ClosedException("the request could not be sent: " + failure.getMessage(), !e.started,
                        failure));
            }
        }
        if (wrote) {
            flush(ctx);
        }
    }

    private boolean start(Exchange e) {
        if (e.isDone()) {
            // Cancelled by the caller before it was sent.
            e.releasePayload();
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
        int streamId = nextStreamId;
        if (streamId <= 0) {
            fail(e, new ClosedException("the connection has used all its stream ids", true));
            drainNow();
            return false;
        }
        nextStreamId = streamId + 2;

        Request r = e.request;
        int length = r.payloadLength();
        AsciiString token = null;
        if (authorization != null) {
            CharSequence value = authorization.headerValue();
            if (value != null) {
                token = tokenAscii(value);
                e.authorization = value;
            }
        }
        // A read-only header block over the request's own arrays: Netty's DefaultHttp2Headers
        // would hash every name into a table only for the HPACK encoder to iterate over it.
        // The connection's token replaces an authorization header the request carries.
        int n = r.headerCount;
        AsciiString[] others = new AsciiString[2 * n + (token != null ? 2 : 0)];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (token != null && AUTHORIZATION.contentEquals(r.headerNames[i])) {
                continue;
            }
            others[at++] = r.headerNames[i];
            others[at++] = r.headerValues[i];
        }
        if (token != null) {
            others[at++] = AUTHORIZATION;
            others[at++] = token;
        }
        if (at < others.length) {
            others = Arrays.copyOf(others, at);
        }
        Http2Headers headers = ReadOnlyHttp2Headers.clientHeaders(false, POST, r.pathAscii, HTTPS, authority, others);
        ChannelPromise headersWritten = ctx.newPromise();
        encoder().writeHeaders(ctx, streamId, headers, 0, length == 0, headersWritten);
        Http2Stream stream = connection().stream(streamId);
        if (stream == null || (headersWritten.isDone() && !headersWritten.isSuccess())) {
            Throwable cause = headersWritten.cause();
            fail(e, new ClosedException("the request could not be written: " + describe(cause), true, cause));
            return true;
        }
        stream.setProperty(exchangeKey, e);
        e.streamId = streamId;
        e.started = true;
        active++;
        inFlight = active;
        sent++;
        ChannelPromise lastFrame;
        if (length == 0) {
            lastFrame = headersWritten;
            e.releasePayload();
        } else {
            ByteBuf data = e.payload;
            e.payload = null;
            if (data == null) {
                data = ctx.alloc().ioBuffer(length).writeBytes(r.payloadBytes);
            }
            lastFrame = ctx.newPromise();
            encoder().writeData(ctx, streamId, data, 0, true, lastFrame);
        }
        lastFrame.addListener(e); // -> onWritten
        if (sweepTimer == null || e.deadlineNanos - sweepAtNanos < 0) {
            scheduleSweep(e.deadlineNanos, now);
        }
        if (requestEvents) {
            notifyListener(() -> listener.requestSent(connection, r));
        }
        return true;
    }

    /** The provider token as bytes, converted once per token rather than once per request. */
    private AsciiString tokenAscii(CharSequence value) {
        if (value instanceof AsciiString a) {
            return a;
        }
        if (value != lastToken) {
            lastToken = value;
            lastTokenAscii = new AsciiString(value);
        }
        return lastTokenAscii;
    }

    private void onWritten(Exchange e, Throwable failure) {
        if (failure == null) {
            e.written = true;
            return;
        }
        if (!e.isDone()) {
            int id = e.streamId;
            fail(e, new ClosedException("the request could not be written: " + describe(failure), true, failure));
            if (connection().stream(id) != null && ctx.channel().isActive()) {
                resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
                flush(ctx);
            }
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
                    new java.util.concurrent.CancellationException("cancelled by the caller"), elapsed));
        }
        if (connection().stream(id) != null && ctx.channel().isActive()) {
            resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
            flush(ctx);
        }
        afterExchange();
    }

    /** The future {@code post} returns: cancelling it resets the request's stream. */
    private final class ResponseFuture extends CompletableFuture<Response>
            implements BiConsumer<Response, Throwable> {
        Exchange exchange;

        @Override
        public void accept(Response response, Throwable failure) {
            if (failure == null) {
                complete(response);
            } else {
                completeExceptionally(failure);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Channel ch = channel;
            if (cancelled && ch != null) {
                Exchange e = exchange;
                try {
                    ch.eventLoop().execute(() -> onCancelled(e));
                } catch (RejectedExecutionException loopStopped) {
                    // the connection is gone; nothing to reset
                }
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    /**
     * One timer per connection instead of one per request: it fires at the earliest deadline of
     * the requests in flight, fails those whose deadline has passed, and sets itself for the next
     * earliest. A request that ends in time costs nothing here (no timer to schedule or cancel).
     */
    private void scheduleSweep(long atNanos, long nowNanos) {
        cancel(sweepTimer);
        sweepAtNanos = atNanos;
        sweepTimer = ctx.executor().schedule(sweepTask, Math.max(0, atNanos - nowNanos), TimeUnit.NANOSECONDS);
    }

    private void sweepDeadlines() {
        sweepTimer = null;
        if (state == ConnectionState.CLOSED) {
            return;
        }
        long now = System.nanoTime();
        long next = 0;
        boolean any = false;
        for (Exchange e : activeExchanges()) {
            if (e.isDone()) {
                continue;
            }
            if (now - e.deadlineNanos >= 0) {
                onDeadline(e);
            } else if (!any || e.deadlineNanos - next < 0) {
                next = e.deadlineNanos;
                any = true;
            }
        }
        if (any && sweepTimer == null) {
            scheduleSweep(next, now);
        }
    }

    private void onDeadline(Exchange e) {
        if (e.isDone()) {
            return;
        }
        int id = e.streamId;
        boolean written = e.written;
        fail(e, new RequestTimeoutException("no answer before the deadline; stream " + id
                + " was reset with CANCEL", written));
        if (connection().stream(id) != null && ctx.channel().isActive()) {
            resetStream(ctx, id, Http2Error.CANCEL.code(), ctx.newPromise());
            flush(ctx);
        }
    }

    // ------------------------------------------------------------------ answers and failures

    private Exchange exchange(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(exchangeKey);
    }

    private void complete(Exchange e) {
        byte[] body = e.body == null ? null : Arrays.copyOf(e.body, e.bodyLength);
        Response response = Response.received(e.status, e.headers, body);
        if (e.status == 403 && e.authorization != null
                && EXPIRED_PROVIDER_TOKEN.equals(response.reason().orElse(null))) {
            authorization.expired(e.authorization);
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

    private List<Exchange> activeExchanges() {
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
                closeChannel(new ClosedException("the connection was closed by the client", false), false);
            });
        } catch (RejectedExecutionException alreadyStopped) {
            // nothing left to close
        }
    }

    CompletableFuture<Void> closeGracefully(java.time.Duration timeout) {
        Channel ch = channel;
        if (ch == null) {
            return closed;
        }
        try {
            ch.eventLoop().execute(() -> {
                if (!ready.isDone()) {
                    failConnect(new ConnectFailedException(Kind.CONNECT_FAILED, "closed by the client while connecting",
                            null));
                    return;
                }
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
        } catch (RejectedExecutionException alreadyStopped) {
            // nothing left to close
        }
        return closed;
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

    /**
     * Closes the channel now. Requests in flight fail with {@code reason}'s message; they are safe
     * to retry only if they were never written.
     */
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
                fail(e, new ClosedException(reason.getMessage()
                        + (e.written ? "; the server may have processed the request"
                        : "; the request was not written"), !e.written, reason.getCause()));
            }
        }
        cancel(pingTimer);
        cancel(pingTimeoutTimer);
        cancel(graceTimer);
        cancel(sweepTimer);
        if (ctx != null) {
            ctx.close();
        } else if (channel != null) {
            channel.close();
        }
    }

    // ------------------------------------------------------------------ keep-alive

    private void schedulePing(long delayNanos) {
        pingTimer = ctx.executor().schedule(this::pingTick, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void pingTick() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (idle < pingIntervalNanos) {
            schedulePing(pingIntervalNanos - idle);
            return;
        }
        if (!pingOutstanding) {
            pingOutstanding = true;
            pingData = System.nanoTime();
            encoder().writePing(ctx, false, pingData, ctx.newPromise());
            flush(ctx);
            pingTimeoutTimer = ctx.executor().schedule(this::onPingTimeout, pingTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        schedulePing(pingIntervalNanos);
    }

    private void onPingTimeout() {
        if (!pingOutstanding || state == ConnectionState.CLOSED) {
            return;
        }
        ClosedException dead = new ClosedException("no PING acknowledgement within "
                + TimeUnit.NANOSECONDS.toMillis(pingTimeoutNanos) + " ms: the server or the network is gone", false);
        lastError = dead;
        log.debug("closing connection to {}: {}", connection.origin(), dead.getMessage());
        closeChannel(dead, true);
    }

    // ------------------------------------------------------------------ Netty callbacks

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = System.nanoTime();
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ready.isDone() && state != ConnectionState.CLOSED) {
            Throwable last = lastError;
            closeChannel(new ClosedException("the connection was lost" + (last != null ? ": " + describe(last) : ""),
                    false, last), true);
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
            Kind kind = isTlsFailure(cause) ? Kind.TLS_FAILED : Kind.CONNECT_FAILED;
            failConnect(new ConnectFailedException(kind, (kind == Kind.TLS_FAILED ? "TLS failed: "
                    : "the connection failed at start: ") + describe(cause), cause));
            return;
        }
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection to {} failed: {}", connection.origin(), describe(cause));
            closeChannel(new ClosedException("the connection failed: " + describe(cause), false, cause), true);
        }
    }

    @Override
    protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
                                     Http2Exception http2Ex) {
        if (state != ConnectionState.CLOSED) {
            lastError = cause;
            log.debug("connection error on {}: {}", connection.origin(), describe(cause));
        }
        if (!ready.isDone()) {
            Kind kind = isTlsFailure(cause) ? Kind.TLS_FAILED : Kind.PROTOCOL;
            failConnect(new ConnectFailedException(kind, (kind == Kind.TLS_FAILED ? "TLS failed: "
                    : "HTTP/2 failed at start: ") + describe(cause), cause));
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
                String why = cause != null ? cause.getMessage() : "stream " + stream.id() + " closed before the answer";
                fail(e, new ClosedException(why + (e.written ? "; the server may have processed the request"
                        : "; the request was not written"), !e.written));
            }
        }

        @Override
        public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
            String reason = parseGoAwayReason(debugData);
            goAwayReason = reason;
            goAwayLastStreamId = lastStreamId;
            Http2Error error = Http2Error.valueOf(errorCode);
            String what = "the server sent GOAWAY (" + (error != null ? error.name() : "error " + errorCode)
                    + (reason != null ? ", " + reason : "") + ", last stream " + lastStreamId + ")";
            log.debug("{} on {}", what, connection.origin());
            if (!ready.isDone()) {
                // a pool learns the reason (credentials refused?) from the listener, as for any GOAWAY
                notifyListener(() -> listener.goAwayReceived(connection, lastStreamId, reason));
                failConnect(new ConnectFailedException(Kind.REJECTED, what, null));
                return;
            }
            if (error != Http2Error.NO_ERROR || reason != null) {
                lastError = new ClosedException(what, false);
            }
            if (state == ConnectionState.ACTIVE) {
                state = ConnectionState.DRAINING;
            }
            String goAwayWhy = reason;
            notifyListener(() -> listener.goAwayReceived(connection, lastStreamId, goAwayWhy));
            for (Exchange e : activeExchanges()) {
                if (e.streamId > lastStreamId && !e.isDone()) {
                    fail(e, new ClosedException(what + ": stream " + e.streamId
                            + " is above the last stream id, so the server did not process it", true));
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
            maxConcurrentStreams = connection().local().maxActiveStreams();
            if (!ready.isDone() && state == ConnectionState.CONNECTING) {
                becomeReady();
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
                int status = parseStatus(headers.status());
                if (status < 0) {
                    fail(e, new ClosedException("the server answered stream " + streamId
                            + " without a valid :status", false));
                    resetStream(ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
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
                resetStream(ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), ctx.newPromise());
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
            if (errorCode == Http2Error.REFUSED_STREAM.code()) {
                fail(e, new ClosedException("the server refused stream " + streamId
                        + " (REFUSED_STREAM): it did not process the request", true));
            } else {
                Http2Error error = Http2Error.valueOf(errorCode);
                fail(e, new ClosedException("the server reset stream " + streamId + " with "
                        + (error != null ? error.name() : "error " + errorCode)
                        + "; the server may have processed the request", false));
            }
        }

        @Override
        public void onPingAckRead(ChannelHandlerContext ctx, long data) {
            if (pingOutstanding && data == pingData) {
                pingOutstanding = false;
                pingsAcknowledged++;
                cancel(pingTimeoutTimer);
                pingTimeoutTimer = null;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static final JsonMapper JSON = JsonMapper.shared();

    static String parseGoAwayReason(ByteBuf debugData) {
        if (debugData == null || !debugData.isReadable()) {
            return null;
        }
        String text = debugData.toString(debugData.readerIndex(), Math.min(debugData.readableBytes(), 4096),
                StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject() && node.get("reason") != null && node.get("reason").isString()) {
                return node.get("reason").stringValue();
            }
        } catch (RuntimeException notJson) {
            // fall through: keep the text
        }
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    private static int parseStatus(CharSequence status) {
        if (status == null || status.length() != 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            char c = status.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static boolean isTlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

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

    /**
     * One request on its way: queued, then on a stream, then answered or failed. It also listens
     * for its last frame to be written, so that a request costs no listener object.
     */
    private final class Exchange implements ChannelFutureListener {
        final Request request;
        final BiConsumer<? super Response, ? super Throwable> callback;
        /** The future {@code post(Request)} returned (null for a callback post): the caller may cancel it. */
        final CompletableFuture<Response> future;
        boolean ended;
        final long startNanos;
        final long deadlineNanos;
        ByteBuf payload;
        int streamId = -1;
        boolean started;
        boolean written;
        int status = -1;
        Http2Headers headers;
        byte[] body;
        int bodyLength;
        CharSequence authorization;

        Exchange(Request request, BiConsumer<? super Response, ? super Throwable> callback,
                 CompletableFuture<Response> future, long startNanos, long deadlineNanos) {
            this.request = request;
            this.callback = callback;
            this.future = future;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
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

        @Override
        public void operationComplete(ChannelFuture written) {
            onWritten(this, written.isSuccess() ? null : written.cause());
        }

        /** Answered, failed, or cancelled by the caller. */
        boolean isDone() {
            return ended || (future != null && future.isDone());
        }

        void end(Response response, Throwable failure) {
            if (!ended) {
                ended = true;
                ConnectionHandler.end(callback, response, failure);
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
}
