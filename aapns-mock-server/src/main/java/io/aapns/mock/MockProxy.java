package io.aapns.mock;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5AddressType;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5CommandType;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequest;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real forward proxy on loopback, for testing a client's proxy configuration against a {@link MockApnsServer}: an
 * HTTP proxy that opens tunnels with {@code CONNECT} ({@link #http}), or a SOCKS5 proxy ({@link #socks5}), on Netty's
 * own server codecs. Every tunnel goes to one upstream address (the mock server) whatever host the client asked for, so
 * a client can use Apple's host name or {@code localhost}; the proxy records what it was asked ({@link #requests()}),
 * so a test can see that a host name arrived unresolved. It can require credentials (basic authentication, or SOCKS5
 * user name and password), refuse every tunnel with a chosen HTTP status or SOCKS5 reply, or stay silent after
 * accepting TCP. {@link #close()} kills it with every tunnel at once; {@link Builder#port(int)} starts a new one on the
 * same port, as a proxy that comes back.
 *
 * <pre>{@code
 * try (MockApnsServer apns = MockApnsServer.builder().start();
 *         MockProxy proxy = MockProxy.http(apns).credentials("push", "secret").start()) {
 *     // point the client at apns.uri() through 127.0.0.1:proxy.port()
 * }
 * }</pre>
 */
public final class MockProxy implements AutoCloseable {

    /** What a client asked for: the target as it came ({@code host:port}) and, for SOCKS5, its address type. */
    public record Requested(String target, String addressType) {}

    private enum Protocol {
        HTTP,
        SOCKS5
    }

    private final Builder config;
    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Requested> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Channel server;

    private MockProxy(Builder config) throws InterruptedException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Channel bound;
        try {
            bound = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accepted.incrementAndGet();
                            channels.add(ch);
                            initClient(ch.pipeline());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), config.port)
                    .sync()
                    .channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        this.server = bound;
        channels.add(bound);
    }

    /** An HTTP ({@code CONNECT}) proxy whose tunnels all lead to {@code server} (on loopback). */
    public static Builder http(MockApnsServer server) {
        return http(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    }

    /** A SOCKS5 proxy whose tunnels all lead to {@code server} (on loopback). */
    public static Builder socks5(MockApnsServer server) {
        return socks5(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
    }

    /** An HTTP ({@code CONNECT}) proxy whose tunnels all lead to {@code upstream}. */
    public static Builder http(InetSocketAddress upstream) {
        return new Builder(Protocol.HTTP, upstream);
    }

    /** A SOCKS5 proxy whose tunnels all lead to {@code upstream}. */
    public static Builder socks5(InetSocketAddress upstream) {
        return new Builder(Protocol.SOCKS5, upstream);
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** What clients asked for, in order. */
    public List<Requested> requests() {
        return List.copyOf(requests);
    }

    /** TCP connections accepted so far. */
    public int acceptedCount() {
        return accepted.get();
    }

    /** Tunnels opened to the upstream so far. */
    public int tunnelCount() {
        return tunnels.get();
    }

    /** Kills the proxy: stops listening and closes every connection and tunnel at once, then its thread. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private void initClient(ChannelPipeline p) {
        if (config.silent) {
            p.addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }
            });
            return;
        }
        if (config.protocol == Protocol.HTTP) {
            p.addLast("http", new HttpServerCodec());
            p.addLast("aggregate", new HttpObjectAggregator(16 * 1024));
            p.addLast("connect", new HttpConnect());
        } else {
            p.addLast("socks-decoder", new Socks5InitialRequestDecoder());
            p.addLast("socks-encoder", Socks5ServerEncoder.DEFAULT);
            p.addLast("socks", new Socks5Server());
        }
    }

    /** Connects to the upstream; {@code then} gets the upstream channel, or null if it could not connect. */
    private void openUpstream(Channel client, java.util.function.Consumer<Channel> then) {
        new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new Relay(client))
                .connect(config.upstream)
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        channels.add(f.channel());
                        tunnels.incrementAndGet();
                        then.accept(f.channel());
                    } else {
                        then.accept(null);
                    }
                });
    }

    /** Joins the client to the upstream once the proxy protocol's handlers are gone. */
    private static void relay(ChannelPipeline client, Channel upstream) {
        client.addLast("relay", new Relay(upstream));
        upstream.config().setAutoRead(true);
        upstream.read();
    }

    /** The HTTP proxy's side: one {@code CONNECT}, answered, then relaying. */
    private final class HttpConnect extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (!HttpMethod.CONNECT.equals(request.method())) {
                answerAndClose(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED);
                return;
            }
            requests.add(new Requested(request.uri(), "http"));
            if (config.username != null) {
                String expected = "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (config.username + ":" + config.password).getBytes(StandardCharsets.UTF_8));
                if (!expected.equals(request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION))) {
                    FullHttpResponse denied = new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED);
                    denied.headers().set(HttpHeaderNames.PROXY_AUTHENTICATE, "Basic realm=\"test\"");
                    denied.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                    ctx.writeAndFlush(denied).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            if (config.refuseHttp != null) {
                answerAndClose(ctx, config.refuseHttp);
                return;
            }
            ctx.channel().config().setAutoRead(false);
            openUpstream(ctx.channel(), upstream -> {
                if (upstream == null) {
                    answerAndClose(ctx, HttpResponseStatus.BAD_GATEWAY);
                    return;
                }
                ctx.writeAndFlush(new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Connection established")));
                ChannelPipeline p = ctx.pipeline();
                p.remove("aggregate");
                p.remove("http");
                p.remove(this);
                relay(p, upstream);
                ctx.channel().config().setAutoRead(true);
            });
        }

        private void answerAndClose(ChannelHandlerContext ctx, HttpResponseStatus status) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The SOCKS5 proxy's side: method choice, optional user name and password, one CONNECT, then relaying. */
    private final class Socks5Server extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline p = ctx.pipeline();
            if (msg instanceof Socks5InitialRequest initial) {
                if (config.username == null) {
                    p.replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
                } else if (initial.authMethods().contains(Socks5AuthMethod.PASSWORD)) {
                    p.replace("socks-decoder", "socks-decoder", new Socks5PasswordAuthRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.PASSWORD));
                } else {
                    ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.UNACCEPTED))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (msg instanceof Socks5PasswordAuthRequest auth) {
                if (config.username.equals(auth.username()) && config.password.equals(auth.password())) {
                    p.replace("socks-decoder", "socks-decoder", new Socks5CommandRequestDecoder());
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.SUCCESS));
                } else {
                    ctx.writeAndFlush(new DefaultSocks5PasswordAuthResponse(Socks5PasswordAuthStatus.FAILURE))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            } else if (msg instanceof Socks5CommandRequest command) {
                String host = command.dstAddr();
                requests.add(new Requested(
                        (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + command.dstPort(),
                        command.dstAddrType().toString().replaceFirst("\\(\\d+\\)$", "")));
                if (!Socks5CommandType.CONNECT.equals(command.type())) {
                    reply(ctx, Socks5CommandStatus.COMMAND_UNSUPPORTED, true);
                } else if (config.refuseSocks != null) {
                    reply(ctx, config.refuseSocks, true);
                } else {
                    ctx.channel().config().setAutoRead(false);
                    openUpstream(ctx.channel(), upstream -> {
                        if (upstream == null) {
                            reply(ctx, Socks5CommandStatus.CONNECTION_REFUSED, true);
                            return;
                        }
                        reply(ctx, Socks5CommandStatus.SUCCESS, false);
                        p.remove("socks-decoder");
                        p.remove("socks-encoder");
                        p.remove(this);
                        relay(p, upstream);
                        ctx.channel().config().setAutoRead(true);
                    });
                }
            } else {
                ctx.close();
            }
        }

        private void reply(ChannelHandlerContext ctx, Socks5CommandStatus status, boolean close) {
            var written = ctx.writeAndFlush(new DefaultSocks5CommandResponse(status, Socks5AddressType.IPv4));
            if (close) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** Copies what one side reads to the other; closes the other when one closes. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer.isActive()) {
                peer.writeAndFlush(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Configures and starts a {@link MockProxy}. Not thread-safe. */
    public static final class Builder {
        private final Protocol protocol;
        private final InetSocketAddress upstream;
        private int port;
        private String username;
        private String password;
        private HttpResponseStatus refuseHttp;
        private Socks5CommandStatus refuseSocks;
        private boolean silent;

        private Builder(Protocol protocol, InetSocketAddress upstream) {
            this.protocol = protocol;
            this.upstream = Objects.requireNonNull(upstream, "upstream");
        }

        /** Listens on this port (0, the default, for an ephemeral one); to restart a killed proxy in its place. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Requires these credentials: basic authentication for HTTP, user name and password for SOCKS5. */
        public Builder credentials(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** Answers every {@code CONNECT} with this status instead of opening a tunnel (HTTP). */
        public Builder refuse(int httpStatus) {
            this.refuseHttp = HttpResponseStatus.valueOf(httpStatus);
            return this;
        }

        /** Answers every SOCKS5 CONNECT with this reply instead of opening a tunnel. */
        public Builder refuse(Socks5CommandStatus status) {
            this.refuseSocks = status;
            return this;
        }

        /** Accepts TCP connections and never answers. */
        public Builder silent() {
            this.silent = true;
            return this;
        }

        /** Starts the proxy. */
        public MockProxy start() {
            try {
                return new MockProxy(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
