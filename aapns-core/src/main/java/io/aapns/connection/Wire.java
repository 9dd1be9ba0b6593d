package io.aapns.connection;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.List;

/**
 * The part of a connection that speaks HTTP/2: the Netty handler in the pipeline after TLS. It keeps the streams (which
 * exchange is on which stream id), writes requests and control frames, and reports what the server sends to the
 * {@link ConnectionHandler} and {@link Exchanges}: {@link FrameWire}, on Netty's frame reader and writer and HPACK
 * coder with its own stream table, windows and settings. Event loop only.
 */
interface Wire extends ChannelHandler {

    /** The server's SETTINGS_MAX_CONCURRENT_STREAMS ({@code Integer.MAX_VALUE} before it set one). */
    long maxConcurrentStreams();

    /** Whether another stream may be opened now. */
    boolean canOpenStream();

    /** The server's SETTINGS_MAX_HEADER_LIST_SIZE, as the encoder applies it. */
    long maxHeaderListSize();

    /**
     * Opens stream {@code streamId} for {@code e} and writes its HEADERS and, if it has a payload, DATA with END_STREAM
     * (not flushed). {@code e} hears of its last frame's write through its listener. Returns null when the stream is
     * open, or why it could not be opened (then nothing is attached to it).
     */
    Throwable open(int streamId, Http2Headers headers, Exchange e);

    /** The exchange on {@code streamId}, or null. */
    Exchange exchange(int streamId);

    /** {@code e} ended: forget it. */
    void detach(Exchange e);

    /** The exchanges on open streams. */
    List<Exchange> exchanges();

    /** Open streams, ours or not yet closed by the server. */
    int openStreams();

    /** Resets {@code streamId} with {@code error} if it is open and the channel active, and flushes. */
    void reset(int streamId, Http2Error error);

    /** Writes a PING and flushes. */
    void ping(long data);

    /** Sends GOAWAY (NO_ERROR) once, and flushes. */
    void goAway();

    void flush();
}
