package io.aapns.mock;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of a mock server: its event loops, the push port and the channel management port, every accepted
 * connection, and the handshake faults applied when one is accepted (refuse, stall, bad certificate alert). A
 * connection that completes TLS goes on to a {@link ProtocolSelector}, which hands HTTP/2 back to the server.
 */
final class MockTransport {

    private final MockApnsServer server;
    private final Faults faults;
    private final SslContext sslContext;
    private final EventLoopGroup group;
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel pushChannel;
    private final Channel managementChannel;
    private volatile boolean closed;

    /**
     * Binds both ports and starts accepting.
     *
     * @throws IllegalStateException if a port cannot be bound (nothing is left running then)
     */
    MockTransport(
            MockApnsServer server,
            Faults faults,
            SslContext sslContext,
            int threads,
            String host,
            int port,
            int channelPort) {
        this.server = server;
        this.faults = faults;
        this.sslContext = sslContext;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        accept(channel);
                    }
                });
        try {
            pushChannel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("could not bind the mock server to " + host + ":" + port, e);
        }
        try {
            managementChannel = bootstrap.bind(host, channelPort).sync().channel();
        } catch (Exception e) {
            pushChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException(
                    "could not bind the mock server's channel management port to " + host + ":" + channelPort, e);
        }
    }

    private void accept(SocketChannel channel) {
        if (closed) {
            channel.close();
            return;
        }
        accepted.add(channel);
        if (faults.refusesHandshake()) {
            channel.close();
            return;
        }
        if (faults.stallsHandshake()) {
            channel.config().setAutoRead(false);
            return;
        }
        if (faults.takeCertificateRejection()) {
            channel.pipeline().addLast(new BadCertificateAlert());
            return;
        }
        channel.pipeline().addLast(sslContext.newHandler(channel.alloc()), new ProtocolSelector(server));
    }

    /** The push port. */
    int port() {
        return ((InetSocketAddress) pushChannel.localAddress()).getPort();
    }

    /** The channel management port. */
    int managementPort() {
        return ((InetSocketAddress) managementChannel.localAddress()).getPort();
    }

    /** Whether {@code channel} was accepted on the channel management port. */
    boolean isManagement(Channel channel) {
        return ((InetSocketAddress) channel.localAddress()).getPort() == managementPort();
    }

    /** Closes every accepted connection (and stalled handshake) abruptly, and waits until they are closed. */
    void closeConnections() {
        List<Channel> open = new ArrayList<>(accepted);
        for (Channel channel : open) {
            // under TLS and HTTP/2, as MockConnection.close() does: no GOAWAY, no close_notify
            ChannelHandlerContext first = channel.pipeline().firstContext();
            if (first != null) {
                first.close();
            } else {
                channel.close();
            }
        }
        for (Channel channel : open) {
            channel.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /** Unbinds both ports, closes every connection and stops the event loops. */
    void close() {
        closed = true;
        pushChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        managementChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        accepted.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
