package io.aapns.mock;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import io.netty.handler.codec.http2.DefaultHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2FrameSizePolicy;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare Netty HTTP/2 client for looking at frames the JDK client hides: SETTINGS, GOAWAY's last-stream-id and debug
 * data, RST_STREAM codes, each HEADERS, DATA and WINDOW_UPDATE frame. Every frame of interest becomes an event in
 * {@link #events()}, in the order read. It announces Netty's default SETTINGS (SETTINGS_MAX_HEADER_LIST_SIZE 8192) but
 * reads header lists of up to 1 MiB, so that a server exceeding the limit it was told is seen.
 */
final class RawH2Client implements AutoCloseable {

    /** The header list size this client actually reads, above the 8192 it announces. */
    static final long READ_HEADER_LIST_SIZE = 1 << 20;

    sealed interface Event
            permits SettingsEvent, GoAwayEvent, ResetEvent, AnswerEvent, HeadersEvent, DataEvent, WindowUpdateEvent {}

    record SettingsEvent(Long maxConcurrentStreams, Integer initialWindowSize) implements Event {}

    /** One HEADERS frame (with its CONTINUATIONs) of an answer; regular header names to values. */
    record HeadersEvent(int streamId, int status, boolean endOfStream, Map<String, String> headers) implements Event {}

    /** One DATA frame. */
    record DataEvent(int streamId, String data, boolean endOfStream) implements Event {}

    /** One WINDOW_UPDATE frame (stream 0: the connection's window). */
    record WindowUpdateEvent(int streamId, int increment) implements Event {}

    record GoAwayEvent(int lastStreamId, long errorCode, String debugData) implements Event {}

    record ResetEvent(int streamId, long errorCode) implements Event {}

    /** A whole answer: its stream ended with END_STREAM. */
    record AnswerEvent(int streamId, int status, String body) implements Event {}

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<Integer, StringBuilder> bodies = new ConcurrentHashMap<>();
    private final Channel channel;
    /** The TLS handler's handshake, kept when the pipeline is built: a failed handshake removes the handler. */
    private final java.util.concurrent.CompletableFuture<Future<Channel>> handshake =
            new java.util.concurrent.CompletableFuture<>();

    private final Http2ConnectionHandler handler;
    private final Map<Integer, ChannelFuture> dataWrites = new ConcurrentHashMap<>();

    RawH2Client(MockApnsServer server) throws Exception {
        SslContext ssl = SslContextBuilder.forClient()
                .trustManager(server.caCertificate())
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        Http2Connection connection = new DefaultHttp2Connection(false);
        Http2ConnectionEncoder encoder = new DefaultHttp2ConnectionEncoder(connection, new DefaultHttp2FrameWriter());
        Http2ConnectionDecoder decoder = new DefaultHttp2ConnectionDecoder(
                connection,
                encoder,
                new LenientHeaderListReader(
                        new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(true, READ_HEADER_LIST_SIZE))));
        handler = new Http2ConnectionHandlerBuilder()
                .codec(decoder, encoder)
                .frameListener(new Listener())
                .build();
        channel = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), "127.0.0.1", server.port());
                        handshake.complete(tls.handshakeFuture());
                        ch.pipeline().addLast(tls, handler, new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                // seen through handshake() and the events; a failed handshake ends here
                            }
                        });
                    }
                })
                .connect("127.0.0.1", server.port())
                .sync()
                .channel();
    }

    private final class Listener extends Http2FrameAdapter {
        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            events.add(new SettingsEvent(settings.maxConcurrentStreams(), settings.initialWindowSize()));
        }

        @Override
        public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
            events.add(new WindowUpdateEvent(streamId, windowSizeIncrement));
        }

        @Override
        public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
            events.add(new GoAwayEvent(lastStreamId, errorCode, debugData.toString(StandardCharsets.UTF_8)));
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
            events.add(new ResetEvent(streamId, errorCode));
        }

        @Override
        public void onHeadersRead(
                ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream) {
            int status = Integer.parseInt(headers.status().toString());
            statuses.put(streamId, status);
            Map<String, String> regular = new LinkedHashMap<>();
            for (Map.Entry<CharSequence, CharSequence> header : headers) {
                if (header.getKey().charAt(0) != ':') {
                    regular.put(header.getKey().toString(), header.getValue().toString());
                }
            }
            events.add(new HeadersEvent(streamId, status, endOfStream, regular));
            if (endOfStream) {
                answered(streamId);
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
            String text = data.toString(StandardCharsets.UTF_8);
            events.add(new DataEvent(streamId, text, endOfStream));
            bodies.computeIfAbsent(streamId, id -> new StringBuilder()).append(text);
            if (endOfStream) {
                answered(streamId);
            }
            return data.readableBytes() + padding;
        }

        private void answered(int streamId) {
            StringBuilder body = bodies.remove(streamId);
            events.add(new AnswerEvent(streamId, statuses.remove(streamId), body == null ? "" : body.toString()));
        }
    }

    static Http2Headers push(String authorization) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .scheme("https")
                .authority("127.0.0.1")
                .path("/3/device/" + JdkClient.TOKEN)
                .set("apns-topic", JdkClient.TOPIC);
        if (authorization != null) {
            headers.set("authorization", "bearer " + authorization);
        }
        return headers;
    }

    /** Sends {@code count} pushes at once, each stream's frames together; returns their stream ids. */
    List<Integer> send(int count, String authorization) throws Exception {
        return send(count, authorization, true);
    }

    /**
     * Sends {@code count} pushes at once; with {@code flushEach} false they go out in one flush, where Netty's flow
     * controller writes every HEADERS frame before the DATA frames.
     */
    List<Integer> send(int count, String authorization, boolean flushEach) throws Exception {
        return channel.eventLoop()
                .submit(() -> {
                    List<Integer> ids = new ArrayList<>();
                    ChannelHandlerContext ctx = channel.pipeline().context(handler);
                    for (int i = 0; i < count; i++) {
                        int last = handler.connection().local().lastStreamCreated();
                        int id = last == 0 ? 1 : last + 2;
                        handler.encoder().writeHeaders(ctx, id, push(authorization), 0, false, ctx.newPromise());
                        dataWrites.put(
                                id,
                                handler.encoder()
                                        .writeData(
                                                ctx,
                                                id,
                                                Unpooled.copiedBuffer(JdkClient.ALERT, StandardCharsets.UTF_8),
                                                0,
                                                true,
                                                ctx.newPromise()));
                        ids.add(id);
                        if (flushEach) {
                            ctx.channel().flush();
                        }
                    }
                    ctx.channel().flush();
                    return ids;
                })
                .get(10, TimeUnit.SECONDS);
    }

    List<Integer> send(int count) throws Exception {
        return send(count, null);
    }

    /** Takes the oldest event of {@code type}, leaving the others queued; fails after 10 seconds. */
    <T extends Event> T next(Class<T> type) {
        return org.awaitility.Awaitility.await("a " + type.getSimpleName())
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(5))
                .until(() -> take(type), java.util.Objects::nonNull);
    }

    /** Waits for an event of {@code type} and returns the oldest, leaving it queued; fails after 10 seconds. */
    <T extends Event> T peek(Class<T> type) {
        return org.awaitility.Awaitility.await("a " + type.getSimpleName())
                .atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(5))
                .until(
                        () -> events.stream()
                                .filter(type::isInstance)
                                .map(type::cast)
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
    }

    private <T extends Event> T take(Class<T> type) {
        for (Event event : events) {
            if (type.isInstance(event) && events.remove(event)) {
                return type.cast(event);
            }
        }
        return null;
    }

    BlockingQueue<Event> events() {
        return events;
    }

    /** The frames read for {@code streamId} so far (HEADERS, DATA, WINDOW_UPDATE, RST_STREAM), in order. */
    List<Event> framesOf(int streamId) {
        List<Event> frames = new ArrayList<>();
        for (Event event : events) {
            int id = -1;
            if (event instanceof HeadersEvent e) {
                id = e.streamId();
            } else if (event instanceof DataEvent e) {
                id = e.streamId();
            } else if (event instanceof WindowUpdateEvent e) {
                id = e.streamId();
            } else if (event instanceof ResetEvent e) {
                id = e.streamId();
            }
            if (id == streamId) {
                frames.add(event);
            }
        }
        return frames;
    }

    /**
     * The write of the DATA frame (with END_STREAM) that {@link #send} queued for {@code streamId}: it succeeds once
     * the frame is on the wire and fails if the stream ended before it could go.
     */
    ChannelFuture dataWrite(int streamId) {
        return dataWrites.get(streamId);
    }

    /** The TLS handshake: fails when the server rejects it. */
    Future<Channel> handshake() {
        try {
            return handshake.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the channel was never initialised", e);
        }
    }

    Channel channel() {
        return channel;
    }

    /**
     * A frame reader that keeps its own header list limit when the client's SETTINGS are acknowledged: the client
     * announces one limit and reads past it.
     */
    private static final class LenientHeaderListReader implements Http2FrameReader, Http2FrameReader.Configuration {
        private final DefaultHttp2FrameReader reader;
        private final Http2HeadersDecoder.Configuration headers;

        LenientHeaderListReader(DefaultHttp2FrameReader reader) {
            this.reader = reader;
            Http2HeadersDecoder.Configuration real = reader.headersConfiguration();
            this.headers = new Http2HeadersDecoder.Configuration() {
                @Override
                public void maxHeaderTableSize(long max) throws Http2Exception {
                    real.maxHeaderTableSize(max);
                }

                @Override
                public long maxHeaderTableSize() {
                    return real.maxHeaderTableSize();
                }

                @Override
                public void maxHeaderListSize(long max, long goAwayMax) {
                    // kept at READ_HEADER_LIST_SIZE whatever the client announced
                }

                @Override
                public long maxHeaderListSize() {
                    return real.maxHeaderListSize();
                }

                @Override
                public long maxHeaderListSizeGoAway() {
                    return real.maxHeaderListSizeGoAway();
                }
            };
        }

        @Override
        public void readFrame(ChannelHandlerContext ctx, ByteBuf input, Http2FrameListener listener)
                throws Http2Exception {
            reader.readFrame(ctx, input, listener);
        }

        @Override
        public Configuration configuration() {
            return this;
        }

        @Override
        public Http2HeadersDecoder.Configuration headersConfiguration() {
            return headers;
        }

        @Override
        public Http2FrameSizePolicy frameSizePolicy() {
            return reader.frameSizePolicy();
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
