package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Where the wire's frame reading reports what the server sent: frames of a request's answer go to {@link Exchanges},
 * frames about the connection (SETTINGS, PING acknowledgements) to the {@link ConnectionHandler}. Dispatch only, no
 * state; each {@link Wire} handles the rest of the protocol (windows, PING answers, GOAWAY) before it calls this.
 */
final class FrameEvents extends Http2EventAdapter {
    private final ConnectionHandler handler;
    private final Exchanges exchanges;

    FrameEvents(ConnectionHandler handler, Exchanges exchanges) {
        this.handler = handler;
        this.exchanges = exchanges;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        handler.onSettings();
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
        exchanges.headers(streamId, headers, endOfStream);
    }

    @Override
    public void onHeadersRead(
            ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
        exchanges.headers(streamId, headers, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        exchanges.data(streamId, data, endOfStream);
        return data.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        exchanges.resetByServer(streamId, errorCode);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        handler.onPingAck(data);
    }
}
