package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

/**
 * Encodes a request's frames for {@link FrameWire}: HEADERS (with CONTINUATION when the block is larger than the
 * server's SETTINGS_MAX_FRAME_SIZE) and DATA, appended to one buffer so that a request is one write. It owns the HPACK
 * encoder (and so the table the server's SETTINGS_HEADER_TABLE_SIZE bounds). Event loop only.
 */
final class RequestFrames {
    static final int FRAME_HEADER = 9;
    private static final byte END_STREAM = 0x1;
    private static final byte END_HEADERS = 0x4;

    private final DefaultHttp2HeadersEncoder hpack =
            new DefaultHttp2HeadersEncoder(RequestWriter.PER_REQUEST_VALUES, false);
    private final Http2FrameLogger log;
    private int maxFrameSize = 16_384;

    /** @param log logs every request frame as Netty's logger would, or null */
    RequestFrames(Http2FrameLogger log) {
        this.log = log;
    }

    Http2HeadersEncoder.Configuration hpack() {
        return hpack.configuration();
    }

    int maxFrameSize() {
        return maxFrameSize;
    }

    void maxFrameSize(int size) {
        maxFrameSize = size;
    }

    /**
     * Appends {@code headers} to {@code out} as HEADERS (END_STREAM if {@code endStream}) and CONTINUATION frames. On
     * failure (the block breaks the encoder's limits) {@code out} is as it was.
     */
    void headers(ChannelHandlerContext ctx, ByteBuf out, int streamId, Http2Headers headers, boolean endStream)
            throws Http2Exception {
        int start = out.writerIndex();
        out.writeZero(FRAME_HEADER);
        try {
            hpack.encodeHeaders(streamId, headers, out);
        } catch (Http2Exception | RuntimeException failed) {
            out.writerIndex(start);
            throw failed;
        }
        int block = out.writerIndex() - start - FRAME_HEADER;
        byte flags = endStream ? END_STREAM : 0;
        if (block <= maxFrameSize) {
            setFrameHeader(out, start, block, Http2FrameTypes.HEADERS, (byte) (flags | END_HEADERS), streamId);
        } else {
            split(ctx, out, start, block, flags, streamId);
        }
        if (log != null) {
            log.logHeaders(Http2FrameLogger.Direction.OUTBOUND, ctx, streamId, headers, 0, endStream);
        }
    }

    /** Rewrites a header block too large for one frame as HEADERS and CONTINUATION frames. */
    private void split(ChannelHandlerContext ctx, ByteBuf out, int start, int block, byte flags, int streamId) {
        ByteBuf copy = ctx.alloc().buffer(block);
        try {
            copy.writeBytes(out, start + FRAME_HEADER, block);
            out.writerIndex(start);
            byte type = Http2FrameTypes.HEADERS;
            while (copy.isReadable()) {
                int n = Math.min(maxFrameSize, copy.readableBytes());
                boolean last = n == copy.readableBytes();
                int at = out.writerIndex();
                out.writeZero(FRAME_HEADER);
                out.writeBytes(copy, n);
                setFrameHeader(out, at, n, type, (byte) (flags | (last ? END_HEADERS : 0)), streamId);
                type = Http2FrameTypes.CONTINUATION;
                flags = 0;
            }
        } finally {
            copy.release();
        }
    }

    /**
     * Appends {@code length} bytes of {@code e}'s payload from {@code offset} as DATA frames no larger than the
     * server's SETTINGS_MAX_FRAME_SIZE, the last with END_STREAM if {@code endStream}.
     */
    void data(
            ChannelHandlerContext ctx,
            ByteBuf out,
            int streamId,
            Exchange e,
            int offset,
            int length,
            boolean endStream) {
        int done = 0;
        do {
            int n = Math.min(maxFrameSize, length - done);
            boolean last = done + n == length;
            boolean end = endStream && last;
            int at = out.writerIndex();
            out.writeZero(FRAME_HEADER);
            int from = offset + done;
            if (e.payload != null) {
                out.writeBytes(e.payload, e.payload.readerIndex() + from, n);
            } else {
                out.writeBytes(e.request.payloadBytes, from, n);
            }
            setFrameHeader(out, at, n, Http2FrameTypes.DATA, end ? END_STREAM : 0, streamId);
            if (log != null) {
                log.logData(
                        Http2FrameLogger.Direction.OUTBOUND, ctx, streamId, out.slice(at + FRAME_HEADER, n), 0, end);
            }
            done += n;
        } while (done < length);
    }

    private static void setFrameHeader(ByteBuf out, int at, int length, byte type, byte flags, int streamId) {
        out.setMedium(at, length);
        out.setByte(at + 3, type);
        out.setByte(at + 4, flags);
        out.setInt(at + 5, streamId);
    }

    void close() {
        hpack.close();
    }
}
