package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2FrameWriter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2InboundFrameLogger;
import io.netty.handler.codec.http2.Http2OutboundFrameLogger;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.List;

/**
 * The push-shaped {@link Wire}: Netty's frame reader ({@link DefaultHttp2FrameReader}, which assembles CONTINUATION and
 * strips padding), its HPACK coder and frame writer, with this connection's own stream table ({@link StreamTable}),
 * send windows ({@link SendWindows}) and settings. A request's HEADERS and DATA are one buffer ({@link RequestFrames});
 * what the server sends is handled by {@link FrameReading}. Protocol errors follow RFC 9113: a stream error resets that
 * stream, a connection error sends GOAWAY and closes. Event loop only.
 */
final class FrameWire extends ByteToMessageDecoder implements Wire {
    private final ConnectionHandler handler;
    private final Http2FrameReader reader;
    private final Http2FrameWriter control;
    private final RequestFrames requests;
    private final StreamTable streams = new StreamTable();
    private final SendWindows windows = new SendWindows();
    private final FrameReading reading;

    private ChannelHandlerContext ctx;
    private long maxConcurrentStreams = Integer.MAX_VALUE;
    private boolean settingsRead;
    private boolean goAwaySent;
    /** Something was written while reading: flush when the read completes. */
    private boolean flushAfterRead;

    FrameWire(ConnectionHandler handler, ConnectionOptions options) {
        this.handler = handler;
        FrameLog log = options.frameLogging() ? new FrameLog() : null;
        Http2FrameReader frameReader = new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true));
        Http2FrameWriter frameWriter = new DefaultHttp2FrameWriter();
        this.reader = log == null ? frameReader : new Http2InboundFrameLogger(frameReader, log);
        this.control = log == null ? frameWriter : new Http2OutboundFrameLogger(frameWriter, log);
        this.requests = new RequestFrames(log);
        this.reading = new FrameReading(this, streams, handler);
    }

    // ------------------------------------------------------------------ Wire: requests

    @Override
    public long maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    @Override
    public boolean canOpenStream() {
        return streams.size() < maxConcurrentStreams;
    }

    @Override
    public long maxHeaderListSize() {
        return requests.hpack().maxHeaderListSize();
    }

    @Override
    public Throwable open(int streamId, Http2Headers headers, Exchange e) {
        int length = e.request.payloadLength();
        ByteBuf out = ctx.alloc()
                .ioBuffer((int) Math.min(e.headerListSize, 4096)
                        + RequestFrames.FRAME_HEADER
                        + (length > 0 ? length + RequestFrames.FRAME_HEADER : 0));
        try {
            requests.headers(ctx, out, streamId, headers, length == 0);
        } catch (Http2Exception | RuntimeException failed) {
            out.release();
            return failed;
        }
        e.sendWindow = windows.initialStreamWindow();
        e.receiveWindow = SendWindows.DEFAULT_WINDOW;
        streams.put(e);
        if (length == 0) {
            e.localEnded = true;
            ctx.write(out, ctx.newPromise().addListener(e));
        } else if (!writeData(e, out)) {
            windows.waitFor(e);
        }
        return null;
    }

    /**
     * Frames as much of {@code e}'s payload as the windows allow, after what {@code out} holds (null: nothing yet), and
     * writes it; returns whether its END_STREAM went with it.
     */
    private boolean writeData(Exchange e, ByteBuf out) {
        int n = windows.allowance(e);
        boolean end = e.dataSent + n == e.request.payloadLength();
        if (n > 0) {
            if (out == null) {
                out = ctx.alloc().ioBuffer(n + RequestFrames.FRAME_HEADER * (1 + n / requests.maxFrameSize()));
            }
            requests.data(ctx, out, e.streamId, e, e.dataSent, n, end);
            windows.sent(e, n);
        }
        if (out == null) {
            return false;
        }
        if (!end) {
            ctx.write(out);
            return false;
        }
        e.localEnded = true;
        e.releasePayload();
        ctx.write(out, ctx.newPromise().addListener(e));
        if (e.remoteEnded) {
            closeStream(e.streamId);
        }
        return true;
    }

    /** The windows opened: DATA that waited goes out, in order. */
    private void sendWaiting() {
        for (Exchange e; (e = windows.next(streams)) != null; ) {
            if (writeData(e, null)) {
                windows.done(e);
            }
            flushAfterRead = true;
        }
    }

    @Override
    public Exchange exchange(int streamId) {
        return streams.get(streamId);
    }

    @Override
    public void detach(Exchange e) {
        streams.detach(e);
        if (e.remoteEnded && !e.localEnded) {
            // answered before its DATA was all sent: stop sending (RFC 9113 section 8.1)
            writeReset(e.streamId, Http2Error.NO_ERROR);
        }
    }

    @Override
    public List<Exchange> exchanges() {
        return streams.exchanges();
    }

    @Override
    public int openStreams() {
        return streams.size();
    }

    // ------------------------------------------------------------------ Wire: control frames

    @Override
    public void reset(int streamId, Http2Error error) {
        if (streams.isOpen(streamId) && ctx.channel().isActive()) {
            writeReset(streamId, error);
            ctx.flush();
        }
    }

    private void writeReset(int streamId, Http2Error error) {
        control.writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
        flushAfterRead = true;
        closeStream(streamId);
    }

    /** {@code streamId} is closed on the wire; an exchange still waiting on it ends as the connection says. */
    private void closeStream(int streamId) {
        Exchange e = streams.get(streamId);
        if (e != null) {
            e.localEnded = true;
            e.remoteEnded = true;
            handler.onStreamClosed(e, streamId);
        }
        streams.closed(streamId);
    }

    /** After a frame of {@code e}'s stream was handled: a stream closed on both sides is done. */
    void afterRemoteFrame(Exchange e) {
        if (e.closed()) {
            closeStream(e.streamId);
        }
    }

    @Override
    public void ping(long data) {
        control.writePing(ctx, false, data, ctx.newPromise());
        ctx.flush();
    }

    void pingAck(long data) {
        control.writePing(ctx, true, data, ctx.newPromise());
        flushAfterRead = true;
    }

    void windowUpdate(int streamId, int increment) {
        control.writeWindowUpdate(ctx, streamId, increment, ctx.newPromise());
        flushAfterRead = true;
    }

    @Override
    public void goAway() {
        if (!goAwaySent) {
            goAwaySent = true;
            control.writeGoAway(ctx, 0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER, ctx.newPromise());
            ctx.flush();
        }
    }

    @Override
    public void flush() {
        flushAfterRead = false;
        ctx.flush();
    }

    // ------------------------------------------------------------------ what the server says

    /** The server's SETTINGS: applied, then acknowledged. */
    void apply(Http2Settings settings) throws Http2Exception {
        Long streamsLimit = settings.maxConcurrentStreams();
        if (streamsLimit != null) {
            maxConcurrentStreams = Math.min(streamsLimit, Integer.MAX_VALUE);
        }
        Integer frameSize = settings.maxFrameSize();
        if (frameSize != null) {
            requests.maxFrameSize(frameSize);
        }
        Long tableSize = settings.headerTableSize();
        if (tableSize != null) {
            requests.hpack().maxHeaderTableSize(tableSize);
        }
        Long listSize = settings.maxHeaderListSize();
        if (listSize != null) {
            requests.hpack().maxHeaderListSize(listSize);
        }
        Integer window = settings.initialWindowSize();
        if (window != null) {
            windows.initialStreamWindow(window, streams.all());
        }
        control.writeSettingsAck(ctx, ctx.newPromise());
        flushAfterRead = true;
        if (window != null) {
            sendWaiting();
        }
    }

    void windowUpdateRead(int streamId, int increment) throws Http2Exception {
        if (streamId == 0) {
            windows.connectionUpdate(increment);
        } else {
            reading.refuseIdle(streamId, "WINDOW_UPDATE");
            Exchange e = streams.get(streamId);
            if (e == null) {
                return; // closed, or ended and about to be
            }
            SendWindows.streamUpdate(e, increment);
        }
        sendWaiting();
    }

    // ------------------------------------------------------------------ Netty callbacks

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        handler.attached(ctx);
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            ctx.write(Http2CodecUtil.connectionPrefaceBuf());
            control.writeSettings(ctx, new Http2Settings().pushEnabled(false), ctx.newPromise());
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        handler.onRead();
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!settingsRead) {
            if (in.readableBytes() < RequestFrames.FRAME_HEADER) {
                return;
            }
            byte type = in.getByte(in.readerIndex() + 3);
            boolean ack = (in.getByte(in.readerIndex() + 4) & 0x1) != 0;
            if (type != Http2FrameTypes.SETTINGS || ack) {
                connectionError(Http2Exception.connectionError(
                        Http2Error.PROTOCOL_ERROR, "the server's first frame is not SETTINGS (type %d)", type));
                in.skipBytes(in.readableBytes());
                return;
            }
            settingsRead = true;
        }
        while (true) {
            try {
                reader.readFrame(ctx, in, reading);
                return;
            } catch (Http2Exception.StreamException streamError) {
                int id = streamError.streamId();
                if (streams.isOpen(id)) {
                    writeReset(id, streamError.error());
                }
            } catch (Http2Exception connectionError) {
                connectionError(connectionError);
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    /** A connection error: GOAWAY with its code, then close; requests in flight end as a lost connection. */
    private void connectionError(Http2Exception cause) {
        handler.connectionError(cause);
        if (!ctx.channel().isActive()) {
            return;
        }
        if (goAwaySent) {
            ctx.close();
            return;
        }
        goAwaySent = true;
        ByteBuf debug = ByteBufUtil.writeUtf8(ctx.alloc(), String.valueOf(cause.getMessage()));
        control.writeGoAway(ctx, 0, cause.error().code(), debug, ctx.newPromise())
                .addListener(ChannelFutureListener.CLOSE);
        ctx.flush();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (flushAfterRead) {
            flush();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handler.channelInactive();
        windows.clear();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        reader.close();
        requests.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception http2 = Http2CodecUtil.getEmbeddedHttp2Exception(cause);
        if (http2 != null) {
            connectionError(http2);
            return;
        }
        handler.failed(cause); // TLS and I/O failures end the connection
    }
}
