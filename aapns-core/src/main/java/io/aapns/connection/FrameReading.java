package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * What {@link FrameWire} does with each frame the server sends (Netty's frame reader parses them, assembles
 * CONTINUATION, strips padding): the protocol's part (stream states, receive windows, SETTINGS applied and
 * acknowledged, PINGs answered, WINDOW_UPDATE, idle streams refused) here, then the frame to {@link FrameEvents} or the
 * {@link ConnectionHandler}. PRIORITY and unknown frames are ignored; PUSH_PROMISE is an error (push is disabled).
 * Event loop only.
 */
final class FrameReading implements Http2FrameListener {
    private static final int WINDOW = SendWindows.DEFAULT_WINDOW;

    private final FrameWire wire;
    private final StreamTable streams;
    private final FrameEvents frames;
    private final ConnectionHandler handler;
    /** Bytes the server may still send on the connection before our next WINDOW_UPDATE. */
    private int connectionWindow = WINDOW;

    FrameReading(FrameWire wire, StreamTable streams, ConnectionHandler handler) {
        this.wire = wire;
        this.streams = streams;
        this.frames = handler.frames;
        this.handler = handler;
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
        int counted = data.readableBytes() + padding;
        refuseIdle(streamId, "DATA");
        connectionWindow -= counted;
        if (connectionWindow < 0) {
            throw Http2Exception.connectionError(
                    Http2Error.FLOW_CONTROL_ERROR, "the server sent past the connection's window");
        }
        if (connectionWindow <= WINDOW / 2) {
            wire.windowUpdate(0, WINDOW - connectionWindow);
            connectionWindow = WINDOW;
        }
        Exchange e = streams.get(streamId);
        if (e == null) {
            ended(streamId, endOfStream);
            return counted;
        }
        e.receiveWindow -= counted;
        if (e.receiveWindow < 0) {
            throw Http2Exception.streamError(
                    streamId, Http2Error.FLOW_CONTROL_ERROR, "the server sent past stream %d's window", streamId);
        }
        if (endOfStream) {
            e.remoteEnded = true;
        } else if (e.receiveWindow <= WINDOW / 2) {
            wire.windowUpdate(streamId, WINDOW - e.receiveWindow);
            e.receiveWindow = WINDOW;
        }
        frames.onDataRead(ctx, streamId, data, padding, endOfStream);
        wire.afterRemoteFrame(e);
        return counted;
    }

    @Override
    public void onHeadersRead(
            ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream)
            throws Http2Exception {
        refuseIdle(streamId, "HEADERS");
        Exchange e = streams.get(streamId);
        if (e == null) {
            ended(streamId, endOfStream);
            return;
        }
        if (endOfStream) {
            e.remoteEnded = true;
        }
        frames.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        wire.afterRemoteFrame(e);
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
            boolean endOfStream)
            throws Http2Exception {
        onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    /** A frame with END_STREAM on a stream whose exchange has ended: the stream may now be closed. */
    private void ended(int streamId, boolean endOfStream) {
        Exchange ending = streams.ending(streamId);
        if (ending != null && endOfStream) {
            ending.remoteEnded = true;
            if (ending.closed()) {
                streams.closed(streamId);
            }
        }
    }

    @Override
    public void onPriorityRead(
            ChannelHandlerContext ctx, int streamId, int streamDependency, short weight, boolean exclusive) {
        // no priorities: every request is alike
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) throws Http2Exception {
        refuseIdle(streamId, "RST_STREAM");
        Exchange e = streams.get(streamId);
        if (e != null) {
            e.localEnded = true;
            e.remoteEnded = true;
            frames.onRstStreamRead(ctx, streamId, errorCode);
            wire.afterRemoteFrame(e);
        }
        streams.closed(streamId);
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        // ours asks for nothing that waits for the acknowledgement
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
        wire.apply(settings);
        frames.onSettingsRead(ctx, settings);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
        wire.pingAck(data);
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        frames.onPingAckRead(ctx, data);
    }

    @Override
    public void onPushPromiseRead(
            ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers, int padding)
            throws Http2Exception {
        throw Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "PUSH_PROMISE, but push is disabled");
    }

    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        handler.onGoAway(lastStreamId, errorCode, debugData);
        streams.forgetAbove(lastStreamId);
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement)
            throws Http2Exception {
        wire.windowUpdateRead(streamId, windowSizeIncrement);
    }

    @Override
    public void onUnknownFrame(
            ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags, ByteBuf payload) {
        // RFC 9113 section 4.1: unknown frame types are ignored
    }

    /** A frame on a stream we never opened (or an even one: the server opens none) is a connection error. */
    void refuseIdle(int streamId, String frame) throws Http2Exception {
        if (streams.idle(streamId)) {
            throw Http2Exception.connectionError(
                    Http2Error.PROTOCOL_ERROR, "%s on stream %d, which the client never opened", frame, streamId);
        }
    }
}
