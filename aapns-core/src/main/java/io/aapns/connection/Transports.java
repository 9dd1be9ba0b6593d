package io.aapns.connection;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * The transport of a connection (epoll when its native library is on the class path, NIO otherwise) and its host
 * resolver.
 */
final class Transports {

    /**
     * The resolver of a connection opened with {@code options}: its host lookup runs on the shared lookup threads,
     * never on the channel's event loop (Netty's default resolver runs the JDK's blocking lookup on whatever thread
     * asks, and Bootstrap asks on the event loop), bounded by the connect timeout, and successive connects to a host
     * take its addresses in turn. See {@link AddressResolution}.
     */
    static AddressResolverGroup<InetSocketAddress> resolver(ConnectionOptions options) {
        return new AddressResolution(options.hostLookup(), options.connectTimeout());
    }

    private Transports() {}

    /** Whether the epoll transport can be used here. */
    static boolean epollAvailable() {
        return EpollSupport.AVAILABLE;
    }

    /** A new event loop group of {@code threads} threads on the best transport. */
    static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        if (EpollSupport.AVAILABLE) {
            return EpollSupport.newGroup(threads, threadFactory);
        }
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
    }

    /** The socket channel type that runs on {@code group}. */
    static Class<? extends Channel> channelType(EventLoopGroup group) {
        if (EpollSupport.AVAILABLE && EpollSupport.isEpoll(group)) {
            return EpollSupport.channelType();
        }
        return NioSocketChannel.class;
    }

    /** Isolates every reference to epoll classes, which may be missing at run time. */
    private static final class EpollSupport {
        static final boolean AVAILABLE = probe();

        private static boolean probe() {
            try {
                Class.forName("io.netty.channel.epoll.Epoll", false, Transports.class.getClassLoader());
                return io.netty.channel.epoll.Epoll.isAvailable();
            } catch (Throwable notPresent) {
                return false;
            }
        }

        static EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
            return new MultiThreadIoEventLoopGroup(
                    threads, threadFactory, io.netty.channel.epoll.EpollIoHandler.newFactory());
        }

        static boolean isEpoll(EventLoopGroup group) {
            return group instanceof IoEventLoopGroup io && io.isIoType(io.netty.channel.epoll.EpollIoHandler.class);
        }

        static Class<? extends Channel> channelType() {
            return io.netty.channel.epoll.EpollSocketChannel.class;
        }
    }
}
