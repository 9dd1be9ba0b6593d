package io.aapns.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.logging.LogLevel;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * Netty's HTTP/2 frame logger at DEBUG on {@code io.aapns.frames}, except that an {@code authorization} header (a
 * provider token, valid for up to an hour) is written as {@code <redacted>}.
 */
final class FrameLog extends Http2FrameLogger {

    static final String LOGGER = "io.aapns.frames";
    private static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
    private static final AsciiString REDACTED = AsciiString.cached("<redacted>");

    FrameLog() {
        super(LogLevel.DEBUG, LOGGER);
    }

    @Override
    public void logHeaders(
            Direction direction,
            ChannelHandlerContext ctx,
            int streamId,
            Http2Headers headers,
            int padding,
            boolean endStream) {
        if (isEnabled()) {
            super.logHeaders(direction, ctx, streamId, redact(headers), padding, endStream);
        }
    }

    @Override
    public void logHeaders(
            Direction direction,
            ChannelHandlerContext ctx,
            int streamId,
            Http2Headers headers,
            int streamDependency,
            short weight,
            boolean exclusive,
            int padding,
            boolean endStream) {
        if (isEnabled()) {
            super.logHeaders(
                    direction, ctx, streamId, redact(headers), streamDependency, weight, exclusive, padding, endStream);
        }
    }

    /** {@code headers} as they may be logged: the same, with the authorization value replaced. */
    static Http2Headers redact(Http2Headers headers) {
        if (!headers.contains(AUTHORIZATION)) {
            return headers;
        }
        Http2Headers copy = new DefaultHttp2Headers(false, headers.size());
        for (Map.Entry<CharSequence, CharSequence> h : headers) {
            copy.add(h.getKey(), AUTHORIZATION.contentEqualsIgnoreCase(h.getKey()) ? REDACTED : h.getValue());
        }
        return copy;
    }
}
