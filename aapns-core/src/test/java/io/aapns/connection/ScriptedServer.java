package io.aapns.connection;

import io.aapns.testing.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An HTTP/2 server over TLS on loopback that sends exactly the frames a test scripts, for the protocol's corners the
 * mock server does not reach (tiny windows, CONTINUATION, SETTINGS twice, window overflows). Each accepted connection
 * is a {@link Peer}: the frames the client sent, in order, and a writer of raw frames.
 */
final class ScriptedServer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** A frame the client sent. */
    record Frame(
            byte type,
            int streamId,
            boolean endStream,
            Http2Headers headers,
            byte[] data,
            long code,
            Http2Settings settings,
            boolean ack) {
        int length() {
            return data == null ? 0 : data.length;
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    private final Channel server;

    ScriptedServer() throws Exception {
        SslContext tls = SslContextBuilder.forServer(TestPki.get().server.toKeyManagerFactory())
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Peer peer = new Peer(ch);
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), peer.reader);
                        peers.add(peer);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** The next connection the server accepted. */
    Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no connection within " + WAIT);
        }
        return peer;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One client connection as the server sees it. */
    static final class Peer {
        final Channel channel;
        /** One HPACK encoder for the writer's header blocks and the hand-cut ones, so the table stays in step. */
        private final DefaultHttp2HeadersEncoder hpack = new DefaultHttp2HeadersEncoder();

        final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter(hpack);
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final DefaultHttp2FrameReader frameReader =
                new DefaultHttp2FrameReader(new DefaultHttp2HeadersDecoder(false));
        final ByteToMessageDecoder reader = new ByteToMessageDecoder() {
            private boolean prefaceRead;

            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
                if (!prefaceRead) {
                    ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
                    try {
                        if (in.readableBytes() < preface.readableBytes()) {
                            return;
                        }
                        in.skipBytes(preface.readableBytes());
                    } finally {
                        preface.release();
                    }
                    prefaceRead = true;
                }
                frameReader.readFrame(ctx, in, listener);
            }

            @Override
            protected void handlerRemoved0(ChannelHandlerContext ctx) {
                frameReader.close();
            }
        };

        private final Http2EventAdapter listener = new Http2EventAdapter() {
            @Override
            public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean end) {
                frames.add(new Frame(
                        Http2FrameTypes.DATA, streamId, end, null, ByteBufUtil.getBytes(data), 0, null, false));
                return data.readableBytes() + padding;
            }

            @Override
            public void onHeadersRead(
                    ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean end) {
                frames.add(new Frame(Http2FrameTypes.HEADERS, streamId, end, headers, null, 0, null, false));
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
                    boolean end) {
                onHeadersRead(ctx, streamId, headers, padding, end);
            }

            @Override
            public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
                frames.add(new Frame(Http2FrameTypes.RST_STREAM, streamId, false, null, null, errorCode, null, false));
            }

            @Override
            public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
                frames.add(new Frame(Http2FrameTypes.SETTINGS, 0, false, null, null, 0, settings, false));
            }

            @Override
            public void onSettingsAckRead(ChannelHandlerContext ctx) {
                frames.add(new Frame(Http2FrameTypes.SETTINGS, 0, false, null, null, 0, null, true));
            }

            @Override
            public void onPingRead(ChannelHandlerContext ctx, long data) {
                frames.add(new Frame(Http2FrameTypes.PING, 0, false, null, null, data, null, false));
            }

            @Override
            public void onPingAckRead(ChannelHandlerContext ctx, long data) {
                frames.add(new Frame(Http2FrameTypes.PING, 0, false, null, null, data, null, true));
            }

            @Override
            public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debug) {
                frames.add(new Frame(
                        Http2FrameTypes.GO_AWAY,
                        lastStreamId,
                        false,
                        null,
                        ByteBufUtil.getBytes(debug),
                        errorCode,
                        null,
                        false));
            }

            @Override
            public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int increment) {
                frames.add(
                        new Frame(Http2FrameTypes.WINDOW_UPDATE, streamId, false, null, null, increment, null, false));
            }
        };

        Peer(Channel channel) {
            this.channel = channel;
        }

        /**
         * What the server's own HPACK decoder accepts (as its SETTINGS would announce): a client that indexes past
         * {@code tableSize}, or does not signal a smaller table, fails to decode.
         */
        void decoderLimits(long tableSize, long headerListSize) {
            channel.eventLoop().execute(() -> {
                try {
                    frameReader.headersConfiguration().maxHeaderTableSize(tableSize);
                    frameReader.headersConfiguration().maxHeaderListSize(headerListSize, headerListSize);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** Runs {@code write} on the connection's event loop, then flushes. */
        void send(Consumer<ChannelHandlerContext> write) {
            ChannelHandlerContext ctx = channel.pipeline().context(reader);
            channel.eventLoop().execute(() -> {
                write.accept(ctx);
                ctx.flush();
            });
        }

        void settings(Http2Settings settings) {
            send(ctx -> writer.writeSettings(ctx, settings, ctx.newPromise()));
        }

        void settingsAck() {
            send(ctx -> writer.writeSettingsAck(ctx, ctx.newPromise()));
        }

        void windowUpdate(int streamId, int increment) {
            send(ctx -> writer.writeWindowUpdate(ctx, streamId, increment, ctx.newPromise()));
        }

        void headers(int streamId, Http2Headers headers, int padding, boolean endStream) {
            send(ctx -> writer.writeHeaders(ctx, streamId, headers, padding, endStream, ctx.newPromise()));
        }

        void data(int streamId, String text, int padding, boolean endStream) {
            send(ctx -> writer.writeData(
                    ctx, streamId, ByteBufUtil.writeUtf8(ctx.alloc(), text), padding, endStream, ctx.newPromise()));
        }

        /** A header block cut into HEADERS and CONTINUATION frames of at most {@code piece} bytes. */
        void headersInPieces(int streamId, Http2Headers headers, int piece, boolean endStream) {
            send(ctx -> {
                ByteBuf block = ctx.alloc().buffer();
                try {
                    hpack.encodeHeaders(streamId, headers, block);
                } catch (Exception e) {
                    block.release();
                    throw new IllegalStateException(e);
                }
                byte type = Http2FrameTypes.HEADERS;
                Http2Flags flags = new Http2Flags().endOfStream(endStream);
                while (block.isReadable()) {
                    int n = Math.min(piece, block.readableBytes());
                    flags.endOfHeaders(n == block.readableBytes());
                    writer.writeFrame(ctx, type, streamId, flags, block.readRetainedSlice(n), ctx.newPromise());
                    type = Http2FrameTypes.CONTINUATION;
                    flags = new Http2Flags();
                }
                block.release();
            });
        }

        void ping(long data) {
            send(ctx -> writer.writePing(ctx, false, data, ctx.newPromise()));
        }

        /** A frame of a type no RFC defines, which the client must ignore. */
        void unknownFrame(int streamId) {
            send(ctx -> writer.writeFrame(
                    ctx,
                    (byte) 0x2a,
                    streamId,
                    new Http2Flags(),
                    ByteBufUtil.writeAscii(ctx.alloc(), "?"),
                    ctx.newPromise()));
        }

        /** The next frame the client sent that {@code wanted} accepts, skipping others; fails after {@link #WAIT}. */
        Frame next(Predicate<Frame> wanted) throws InterruptedException {
            long until = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Frame f = frames.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (f == null) {
                    throw new AssertionError("no such frame from the client within " + WAIT);
                }
                if (wanted.test(f)) {
                    return f;
                }
            }
        }

        Frame next(byte type) throws InterruptedException {
            return next(f -> f.type() == type && !f.ack());
        }

        /** The next frame the client sent, whatever it is, except SETTINGS acknowledgements and WINDOW_UPDATE. */
        Frame nextFrame() throws InterruptedException {
            return next(f ->
                    !(f.type() == Http2FrameTypes.SETTINGS && f.ack()) && f.type() != Http2FrameTypes.WINDOW_UPDATE);
        }

        /**
         * Sends a PING and returns the frames the client sent before its acknowledgement (it answers in order, so
         * nothing it meant to send before then is missing).
         */
        List<Frame> framesUntilPingAck(long data) throws InterruptedException {
            ping(data);
            java.util.ArrayList<Frame> before = new java.util.ArrayList<>();
            while (true) {
                Frame f = next(x -> true);
                if (f.type() == Http2FrameTypes.PING && f.ack() && f.code() == data) {
                    return before;
                }
                before.add(f);
            }
        }
    }
}
