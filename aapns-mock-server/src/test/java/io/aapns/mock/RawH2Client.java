package io.aapns.mock;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare Netty HTTP/2 client for looking at frames the JDK client hides: SETTINGS,
 * GOAWAY's last-stream-id and debug data, RST_STREAM codes. Every frame of interest becomes an
 * event in {@link #events()}.
 */
final class RawH2Client implements AutoCloseable {

    sealed interface Event permits SettingsEvent, GoAwayEvent, ResetEvent, AnswerEvent {
    }

    record SettingsEvent(Long maxConcurrentStreams) implements Event {
    }

    record GoAwayEvent(int lastStreamId, long errorCode, String debugData) implements Event {
    }

    record ResetEvent(int streamId, long errorCode) implements Event {
    }

    record AnswerEvent(int streamId, int status, String body) implements Event {
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final Map<Integer, StringBuilder> bodies = new ConcurrentHashMap<>();
    private final Channel channel;
    private final Http2ConnectionHandler handler;

    RawH2Client(MockApnsServer server) throws Exception {
        SslContext ssl = SslContextBuilder.forClient()
                .trustManager(server.caCertificate())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        handler = new Http2ConnectionHandlerBuilder().server(false).frameListener(new Listener()).build();
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = ssl.newHandler(ch.alloc(), "127.0.0.1", server.port());
                        ch.pipeline().addLast(tls, handler);
                    }
                })
                .connect("127.0.0.1", server.port()).sync().channel();
    }

    private final class Listener extends Http2FrameAdapter {
        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
            events.add(new SettingsEvent(settings.maxConcurrentStreams()));
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
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endOfStream) {
            statuses.put(streamId, Integer.parseInt(headers.status().toString()));
            if (endOfStream) {
                answered(streamId);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endOfStream) {
            onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
                              boolean endOfStream) {
            bodies.computeIfAbsent(streamId, id -> new StringBuilder()).append(data.toString(StandardCharsets.UTF_8));
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
        Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("https").authority("127.0.0.1")
                .path("/3/device/" + JdkClient.TOKEN).set("apns-topic", JdkClient.TOPIC);
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
     * Sends {@code count} pushes at once; with {@code flushEach} false they go out in one flush,
     * where Netty's flow controller writes every HEADERS frame before the DATA frames.
     */
    List<Integer> send(int count, String authorization, boolean flushEach) throws Exception {
        return channel.eventLoop().submit(() -> {
            List<Integer> ids = new ArrayList<>();
            ChannelHandlerContext ctx = channel.pipeline().context(handler);
            for (int i = 0; i < count; i++) {
                int last = handler.connection().local().lastStreamCreated();
                int id = last == 0 ? 1 : last + 2;
                handler.encoder().writeHeaders(ctx, id, push(authorization), 0, false, ctx.newPromise());
                handler.encoder().writeData(ctx, id,
                        Unpooled.copiedBuffer(JdkClient.ALERT, StandardCharsets.UTF_8), 0, true, ctx.newPromise());
                ids.add(id);
                if (flushEach) {
                    ctx.channel().flush();
                }
            }
            ctx.channel().flush();
            return ids;
        }).get(10, TimeUnit.SECONDS);
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

    Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
