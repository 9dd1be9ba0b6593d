package io.aapns.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/2 side of one mock connection: reads each request, applies the faults and APNs' rules, records it and
 * answers. All of its state lives on the connection's event loop.
 */
final class MockHttp2Handler extends Http2ConnectionHandler {

    private static final AsciiString APNS_ID = AsciiString.cached("apns-id");
    private static final AsciiString APNS_UNIQUE_ID = AsciiString.cached("apns-unique-id");
    private static final AsciiString APNS_REQUEST_ID = AsciiString.cached("apns-request-id");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
    private static final AsciiString JSON_TYPE = AsciiString.cached("application/json; charset=utf-8");
    /** The extra answer header of {@link Faults#oversizeResponseHeaders}. */
    static final AsciiString PADDING = AsciiString.cached("x-mock-padding");
    /** HTTP/2's default stream window, granted to each stream when the server starts below it. */
    private static final int DEFAULT_WINDOW = 65535;
    /** Bodies larger than this are counted but not kept: they are rejected as too large anyway. */
    static final int MAX_KEPT_BODY = 64 * 1024;

    private final MockApnsServer server;
    private final MockConnection connection;
    private final MockRequestChecks checks;
    private final boolean tokenAuth;
    private final int initialWindowSize;
    private final IntObjectMap<PendingStream> pending = new IntObjectHashMap<>();
    private ChannelHandlerContext ctx;
    private int streamsReceived;
    private boolean goingAway;
    /** The last-stream-id of the GOAWAY sent; streams above it are not processed. */
    private int goAwayLastStreamId = Integer.MAX_VALUE;

    private boolean lingering;
    /** Set once the connection is being dropped after an answer: later frames are ignored. */
    private boolean dropping;
    /** The SETTINGS_MAX_CONCURRENT_STREAMS last announced. */
    private long announcedStreams;

    MockHttp2Handler(
            Http2ConnectionDecoder decoder,
            Http2ConnectionEncoder encoder,
            Http2Settings settings,
            MockApnsServer server,
            MockConnection connection,
            boolean tokenAuth) {
        super(decoder, encoder, settings);
        this.server = server;
        this.connection = connection;
        this.tokenAuth = tokenAuth;
        this.initialWindowSize = settings.initialWindowSize();
        this.announcedStreams = settings.maxConcurrentStreams();
        this.checks = new MockRequestChecks(
                server, connection, tokenAuth, () -> announceMaxConcurrentStreams(server.maxConcurrentStreams()));
        decoder.frameListener(new Listener());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                pending.remove(stream.id());
                if (goingAway && !owesAnswers()) {
                    closeSoon();
                }
            }
        });
    }

    /**
     * Builds a handler whose first SETTINGS frame announces {@code maxConcurrentStreams} and {@code initialWindowSize}.
     */
    static MockHttp2Handler create(
            MockApnsServer server,
            MockConnection connection,
            boolean tokenAuth,
            long maxConcurrentStreams,
            int initialWindowSize) {
        Http2Settings settings = new Http2Settings()
                .headerTableSize(4096)
                .maxConcurrentStreams(maxConcurrentStreams)
                .initialWindowSize(initialWindowSize)
                .maxFrameSize(16384)
                .maxHeaderListSize(8000);
        return new MockHandlerBuilder(server, connection, tokenAuth)
                .initialSettings(settings)
                .build();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    private final class Listener extends Http2FrameAdapter {
        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            if (streamId > goAwayLastStreamId || dropping) {
                return; // sent after our GOAWAY: not processed, as its last-stream-id told the client
            }
            streamsReceived++;
            connection.streams.incrementAndGet();
            Faults own = connection.faults();
            Faults all = server.faults();
            int closeAfter = own.closeAfterStreams() > 0 ? own.closeAfterStreams() : all.closeAfterStreams();
            if (closeAfter > 0 && streamsReceived > closeAfter) {
                closeAbruptly();
                return;
            }
            PendingStream stream = new PendingStream(headers);
            if (endOfStream) {
                complete(streamId, stream);
            } else {
                Http2Error early = own.takeEarlyReset();
                if (early == null) {
                    early = all.takeEarlyReset();
                }
                if (early != null) {
                    // never complete, so never processed nor recorded
                    resetStream(ctx, streamId, early.code(), ctx.newPromise());
                } else {
                    pending.put(streamId, stream);
                    grantWindow(streamId);
                }
            }
            int goAwayAfter = own.goAwayAfterStreams() > 0 ? own.goAwayAfterStreams() : all.goAwayAfterStreams();
            if (goAwayAfter > 0 && streamsReceived == goAwayAfter) {
                goAwayGracefully(streamId, null);
            }
        }

        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx,
                int streamId,
                Http2Headers headers,
                int streamDependency,
                short weight,
                boolean exclusive,
                int padding,
                boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
            int processed = data.readableBytes() + padding;
            PendingStream stream = streamId > goAwayLastStreamId || dropping ? null : pending.get(streamId);
            if (stream != null) {
                stream.append(data);
                if (endOfStream) {
                    pending.remove(streamId);
                    complete(streamId, stream);
                }
            }
            return processed;
        }
    }

    /**
     * When the server was built with a stream window below HTTP/2's default, opens the window of a stream whose HEADERS
     * arrived to the default, so that its DATA can follow: a client that honours the SETTINGS sends no DATA before this
     * WINDOW_UPDATE.
     */
    private void grantWindow(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        if (initialWindowSize >= DEFAULT_WINDOW || stream == null) {
            return;
        }
        try {
            decoder().flowController().incrementWindowSize(stream, DEFAULT_WINDOW - initialWindowSize);
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            throw new IllegalStateException("could not open the window of stream " + streamId, e);
        }
    }

    private void complete(int streamId, PendingStream stream) {
        Http2Headers headers = stream.headers;
        byte[] payload = stream.payload();
        Faults.Action action = connection.faults().take();
        if (action.kind() == Faults.Kind.NONE) {
            action = server.faults().take();
        }
        switch (action.kind()) {
            case REFUSE -> {
                record(streamId, headers, payload, RecordedRequest.Outcome.REFUSED, null, null);
                resetStream(ctx, streamId, Http2Error.REFUSED_STREAM.code(), ctx.newPromise());
                return;
            }
            case STALL -> {
                record(streamId, headers, payload, RecordedRequest.Outcome.STALLED, null, null);
                return;
            }
            case GO_AWAY -> {
                record(streamId, headers, payload, RecordedRequest.Outcome.GOAWAY, null, null);
                goAwayGracefully(Math.max(0, streamId - 2), action.reason());
                return;
            }
            case RESET -> {
                record(streamId, headers, payload, RecordedRequest.Outcome.RESET, null, null);
                resetStream(ctx, streamId, action.errorCode(), ctx.newPromise());
                return;
            }
            default -> {}
        }
        Verdict verdict = checks.validate(headers, payload); // makes and deletes no channel yet
        Faults.Ending ending = Faults.Ending.END_STREAM;
        if (verdict.ok()) {
            Faults.Action status = connection.faults().takeStatus();
            if (status.kind() == Faults.Kind.NONE) {
                status = server.faults().takeStatus();
            }
            if (status.kind() == Faults.Kind.STATUS) {
                if (connection.isManagement() && status.status() / 100 == 2) {
                    checks.channelCall(headers, payload, true); // a scripted success: APNs did it
                }
                verdict = status.status() == 200 ? Verdict.OK : Verdict.error(status.status(), status.reason());
                ending = status.ending();
            } else if (connection.isManagement()) {
                verdict = checks.channelCall(
                        headers, payload, true); // the real answer: now the channel is made or deleted
            }
        }
        // a device push answers with its apns-id; broadcast and channel calls with an apns-request-id
        boolean device = checks.isDevicePath(headers);
        CharSequence requestedId = headers.get(device ? APNS_ID : APNS_REQUEST_ID);
        String apnsId =
                requestedId != null ? requestedId.toString() : UUID.randomUUID().toString();
        RecordedRequest.Outcome outcome = switch (ending) {
            case END_STREAM -> RecordedRequest.Outcome.ANSWERED;
            case RESET -> RecordedRequest.Outcome.ANSWERED_THEN_RESET;
            case CLOSE -> RecordedRequest.Outcome.ANSWERED_THEN_CLOSED;
        };
        record(streamId, headers, payload, outcome, verdict, device ? apnsId : null);
        Duration delay = connection.faults().delayOrNull();
        if (delay == null) {
            delay = server.faults().delayOrNull();
        }
        Faults.Ending end = ending;
        if (delay == null) {
            respond(streamId, verdict, apnsId, device, end, false);
        } else {
            Verdict answer = verdict;
            ctx.executor()
                    .schedule(
                            () -> respond(streamId, answer, apnsId, device, end, true),
                            delay.toNanos(),
                            TimeUnit.NANOSECONDS);
        }
    }

    private void record(
            int streamId,
            Http2Headers headers,
            byte[] payload,
            RecordedRequest.Outcome outcome,
            Verdict verdict,
            String apnsId) {
        if (verdict != null) {
            connection.answered.incrementAndGet();
            if (verdict.ok()) {
                connection.accepted.incrementAndGet();
            }
        }
        server.recorded().record(connection, streamId, headers, payload, outcome, verdict, apnsId, server.clock());
    }

    /**
     * Writes the answer: HEADERS, and for an error with a reason its JSON body in DATA. With {@code ending} END_STREAM
     * the last frame ends the stream; with RESET the stream is reset with CANCEL after the frames instead; with CLOSE
     * the connection is dropped after them.
     */
    private void respond(
            int streamId, Verdict verdict, String id, boolean device, Faults.Ending ending, boolean flush) {
        Http2Stream stream = connection().stream(streamId);
        if (stream == null || !ctx.channel().isActive() || dropping) {
            return; // the client reset the stream (a timeout, say) or the connection is gone
        }
        Http2Headers headers = new DefaultHttp2Headers()
                .status(HttpResponseStatus.valueOf(verdict.status()).codeAsText())
                .set(device ? APNS_ID : APNS_REQUEST_ID, id);
        verdict.headers().forEach(headers::set);
        boolean end = ending == Faults.Ending.END_STREAM;
        byte[] body = verdict.body() != null
                ? verdict.body()
                : verdict.ok() || verdict.reason() == null ? null : errorBody(verdict);
        if (verdict.ok() && device && server.isDevelopment()) {
            headers.set(APNS_UNIQUE_ID, UUID.randomUUID().toString());
        }
        if (body != null) {
            headers.set(CONTENT_TYPE, JSON_TYPE);
        }
        int padding = connection.faults().oversizeHeaderBytes();
        if (padding == 0) {
            padding = server.faults().oversizeHeaderBytes();
        }
        if (padding > 0) {
            byte[] value = new byte[padding];
            Arrays.fill(value, (byte) 'a');
            headers.set(PADDING, new AsciiString(value, false));
        }
        encoder().writeHeaders(ctx, streamId, headers, 0, end && body == null, ctx.newPromise());
        if (body != null) {
            encoder()
                    .writeData(
                            ctx, streamId, ctx.alloc().buffer(body.length).writeBytes(body), 0, end, ctx.newPromise());
        }
        switch (ending) {
            case RESET -> {
                try {
                    // DATA waits in the flow controller while RST_STREAM is written at once: send it first
                    encoder().flowController().writePendingBytes();
                } catch (io.netty.handler.codec.http2.Http2Exception e) {
                    throw new IllegalStateException("could not write the answer of stream " + streamId, e);
                }
                resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
                flush(ctx);
            }
            case CLOSE -> dropAfterFlush();
            case END_STREAM -> {
                if (flush) {
                    flush(ctx);
                }
            }
        }
    }

    static byte[] errorBody(Verdict verdict) {
        String json = verdict.timestamp() == null
                ? "{\"reason\":\"" + verdict.reason() + "\"}"
                : "{\"reason\":\"" + verdict.reason() + "\",\"timestamp\":" + verdict.timestamp() + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends GOAWAY for every stream received so far, then closes when they are answered. */
    void goAwayNow(String reason) {
        goAwayGracefully(Math.max(0, connection().remote().lastStreamCreated()), reason);
    }

    /**
     * Sends GOAWAY and closes once every stream at or below {@code lastStreamId} is answered. The frame is written
     * directly rather than through {@code Http2ConnectionHandler.goAway}: Netty's own GOAWAY bookkeeping refuses
     * streams above the last-stream-id and then treats their DATA frames as a connection error, which would stop this
     * connection from reading the DATA of streams it still owes an answer. Streams above it are ignored here instead.
     */
    private void goAwayGracefully(int lastStreamId, String reason) {
        if (goingAway || !ctx.channel().isActive()) {
            return;
        }
        goingAway = true;
        goAwayLastStreamId = lastStreamId;
        for (int id : List.copyOf(pending.keySet())) {
            if (id > lastStreamId) {
                pending.remove(id);
            }
        }
        ByteBuf debug = reason == null
                ? Unpooled.EMPTY_BUFFER
                : ctx.alloc().buffer().writeBytes(errorBody(Verdict.error(0, reason)));
        frameWriter().writeGoAway(ctx, lastStreamId, Http2Error.NO_ERROR.code(), debug, ctx.newPromise());
        flush(ctx);
        if (!owesAnswers()) {
            closeSoon();
        } else {
            ctx.executor()
                    .schedule(this::closeSoon, server.gracefulShutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** True while a stream at or below the GOAWAY's last-stream-id waits for its answer. */
    private boolean owesAnswers() {
        boolean[] owes = {false};
        try {
            connection().forEachActiveStream(stream -> {
                if (stream.id() <= goAwayLastStreamId) {
                    owes[0] = true;
                    return false;
                }
                return true;
            });
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            throw new IllegalStateException(e);
        }
        return owes[0];
    }

    /**
     * Closes after the current read is handled, so that answers written during it are flushed first, and closes as a
     * careful server does ("lingering close"): TLS close_notify and a TCP half-close, then whatever the client still
     * sends is read and dropped until it closes its side (or two seconds pass). Closing the socket outright while the
     * client's last frames are unread would make the kernel send a TCP reset, and a reset can destroy answers the
     * client has not read yet: the very answers that GOAWAY's last-stream-id promises.
     */
    private void closeSoon() {
        if (lingering) {
            return;
        }
        lingering = true;
        ctx.executor().execute(() -> {
            Channel channel = ctx.channel();
            if (!channel.isActive()) {
                return;
            }
            flush(ctx);
            ctx.pipeline().addBefore(ctx.name(), "aapns-mock-discard", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext discard, Object message) {
                    ReferenceCountUtil.release(message);
                }
            });
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            ChannelFuture closeNotify = tls != null ? tls.closeOutbound() : channel.newSucceededFuture();
            closeNotify.addListener(done -> {
                if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                    duplex.shutdownOutput();
                }
            });
            ctx.executor().schedule(this::closeAbruptly, 2, TimeUnit.SECONDS);
        });
    }

    /**
     * Flushes what is written, then shuts TCP down under TLS and HTTP/2 (no close_notify, no GOAWAY), so that the
     * client reads the frames already sent and then sees the connection end. What the client still sends is dropped
     * unread by TLS, so nothing is answered, and the socket is closed when the client closes its side (or after two
     * seconds): closing it while the client's frames are unread would send a TCP reset, which can destroy the frames
     * the client has not read yet.
     */
    private void dropAfterFlush() {
        if (dropping) {
            return;
        }
        dropping = true;
        Channel channel = ctx.channel();
        flush(ctx);
        channel.pipeline().addFirst("aapns-mock-drop", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext discard, Object message) {
                ReferenceCountUtil.release(message);
            }
        });
        // after the bytes already flushed: the channel writes in order
        channel.pipeline().firstContext().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
            }
        });
        ctx.executor()
                .schedule(
                        () -> {
                            channel.close();
                        },
                        2,
                        TimeUnit.SECONDS);
    }

    /** Closes the socket under TLS and HTTP/2: the client sees the connection drop. */
    void closeAbruptly() {
        ChannelHandlerContext first = ctx.pipeline().firstContext();
        if (first != null) {
            first.close();
        }
    }

    /**
     * Sends SETTINGS_MAX_CONCURRENT_STREAMS {@code streams}; a token connection without a valid token yet is held at
     * one stream instead (sent only if it announced something else).
     */
    void announceMaxConcurrentStreams(long streams) {
        if (!ctx.channel().isActive() || dropping) {
            return;
        }
        if (tokenAuth && !checks.tokenValidated()) {
            if (announcedStreams == 1) {
                return;
            }
            streams = 1;
        }
        announcedStreams = streams;
        encoder().writeSettings(ctx, new Http2Settings().maxConcurrentStreams(streams), ctx.newPromise());
        flush(ctx);
    }
}
