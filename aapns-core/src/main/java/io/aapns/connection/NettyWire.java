package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Wire} on Netty's {@link Http2ConnectionHandler}: its stream model (an exchange is a property of its
 * {@link Http2Stream}), flow controllers, encoder and decoder. {@link HandlerBuilder} wires it.
 */
final class NettyWire extends Http2ConnectionHandler implements Wire {
    private final ConnectionHandler handler;
    private final Http2Connection.PropertyKey key;
    private ChannelHandlerContext ctx;

    NettyWire(
            Http2ConnectionDecoder decoder,
            Http2ConnectionEncoder encoder,
            Http2Settings initialSettings,
            ConnectionHandler handler) {
        super(decoder, encoder, initialSettings, true);
        this.handler = handler;
        this.key = connection().newKey();
        decoder.frameListener(handler.frames);
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                handler.onStreamClosed(stream.getProperty(key), stream.id());
            }

            @Override
            public void onGoAwayReceived(int lastStreamId, long errorCode, ByteBuf debugData) {
                handler.onGoAway(lastStreamId, errorCode, debugData);
            }
        });
    }

    // ------------------------------------------------------------------ Wire

    @Override
    public long maxConcurrentStreams() {
        return connection().local().maxActiveStreams();
    }

    @Override
    public boolean canOpenStream() {
        return connection().local().canOpenStream();
    }

    @Override
    public long maxHeaderListSize() {
        return encoder().configuration().headersConfiguration().maxHeaderListSize();
    }

    @Override
    public Throwable open(int streamId, Http2Headers headers, Exchange e) {
        int length = e.request.payloadLength();
        ChannelPromise headersWritten = ctx.newPromise();
        encoder().writeHeaders(ctx, streamId, headers, 0, length == 0, headersWritten);
        Http2Stream stream = connection().stream(streamId);
        if (stream == null || (headersWritten.isDone() && !headersWritten.isSuccess())) {
            Throwable cause = headersWritten.cause();
            return cause != null ? cause : new IllegalStateException("stream " + streamId + " was not opened");
        }
        stream.setProperty(key, e);
        ChannelPromise lastFrame = headersWritten;
        if (length > 0) {
            lastFrame = ctx.newPromise();
            encoder().writeData(ctx, streamId, RequestWriter.payload(ctx.alloc(), e), 0, true, lastFrame);
        }
        lastFrame.addListener(e);
        return null;
    }

    @Override
    public Exchange exchange(int streamId) {
        Http2Stream stream = connection().stream(streamId);
        return stream == null ? null : stream.getProperty(key);
    }

    @Override
    public void detach(Exchange e) {
        Http2Stream stream = connection().stream(e.streamId);
        if (stream != null) {
            stream.removeProperty(key);
        }
    }

    @Override
    public List<Exchange> exchanges() {
        List<Exchange> list = new ArrayList<>();
        try {
            connection().forEachActiveStream(stream -> {
                Exchange e = stream.getProperty(key);
                if (e != null) {
                    list.add(e);
                }
                return true;
            });
        } catch (Http2Exception impossible) {
            throw new IllegalStateException(impossible);
        }
        return list;
    }

    @Override
    public int openStreams() {
        return connection().numActiveStreams();
    }

    @Override
    public void reset(int streamId, Http2Error error) {
        if (connection().stream(streamId) != null && ctx.channel().isActive()) {
            resetStream(ctx, streamId, error.code(), ctx.newPromise());
            flush(ctx);
        }
    }

    @Override
    public void ping(long data) {
        encoder().writePing(ctx, false, data, ctx.newPromise());
        flush(ctx);
    }

    @Override
    public void goAway() {
        if (!connection().goAwaySent()) {
            goAway(
                    ctx,
                    connection().remote().lastStreamCreated(),
                    Http2Error.NO_ERROR.code(),
                    Unpooled.EMPTY_BUFFER,
                    ctx.newPromise());
            flush(ctx);
        }
    }

    @Override
    public void flush() {
        flush(ctx);
    }

    // ------------------------------------------------------------------ Netty callbacks

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        handler.attached(ctx);
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        handler.onRead();
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        handler.channelInactive();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
            super.exceptionCaught(ctx, cause); // Netty's HTTP/2 error handling: GOAWAY, RST_STREAM
            return;
        }
        // TLS and I/O failures: Netty would pass them down the pipeline; they end the connection.
        handler.failed(cause);
    }

    @Override
    protected void onConnectionError(
            ChannelHandlerContext ctx, boolean outbound, Throwable cause, Http2Exception http2Ex) {
        handler.connectionError(cause);
        super.onConnectionError(ctx, outbound, cause, http2Ex);
    }
}
