package io.aapns.connection;

import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Opens one connection's tunnel through a proxy, in front of TLS. The channel connects to the proxy's address (looked
 * up off the event loop like any other); when that connect passes through here, this puts Netty's
 * {@link HttpProxyHandler} or {@link Socks5ProxyHandler} in front of itself, built for the proxy's resolved address,
 * and hands it APNs' host name unresolved, so the proxy resolves it. It bounds the tunnel's set-up by the connect
 * timeout, starts the TLS clock once the tunnel is up, and reports a failed set-up as a {@link ConnectFailedException}
 * that says what the proxy answered ({@link ProxyReplies}). It leaves the pipeline when the tunnel is up.
 */
final class ProxyTunnel extends ChannelDuplexHandler {
    private final ProxyOptions proxy;
    private final InetSocketAddress target;
    private final ConnectionHandler http2;
    private final long timeoutNanos;
    private final ProxyReplies replies;
    private ScheduledFuture<?> timer;
    private boolean finished;

    /**
     * A tunnel through {@code proxy} to {@code host:port} (the origin's host as written, an address literal or a name)
     * for {@code http2}'s connection, set up within {@code timeoutNanos}.
     */
    ProxyTunnel(ProxyOptions proxy, String host, int port, ConnectionHandler http2, long timeoutNanos) {
        this.proxy = proxy;
        this.target = target(host, port);
        this.http2 = http2;
        this.timeoutNanos = timeoutNanos;
        String h = target.getHostString();
        this.replies = new ProxyReplies(proxy, (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port);
    }

    /** The destination as the proxy gets it: a name stays unresolved; an address literal is parsed, not looked up. */
    static InetSocketAddress target(String host, int port) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(h);
        return literal != null ? new InetSocketAddress(literal, port) : InetSocketAddress.createUnresolved(h, port);
    }

    /** The address the proxy is asked to connect to (for tests). */
    InetSocketAddress target() {
        return target;
    }

    @Override
    public void connect(
            ChannelHandlerContext ctx, SocketAddress proxyAddress, SocketAddress localAddress, ChannelPromise promise) {
        ProxyHandler tunnel = proxy.type() == ProxyOptions.Type.HTTP
                ? (proxy.hasCredentials()
                        ? new HttpProxyHandler(proxyAddress, proxy.username().orElseThrow(), proxy.password())
                        : new HttpProxyHandler(proxyAddress))
                : (proxy.hasCredentials()
                        ? new Socks5ProxyHandler(proxyAddress, proxy.username().orElseThrow(), proxy.password())
                        : new Socks5ProxyHandler(proxyAddress));
        // This handler's timer bounds the set-up and says which stage was slow.
        tunnel.setConnectTimeoutMillis(0);
        ctx.pipeline().addBefore(ctx.name(), "proxy", tunnel);
        // After the proxy's codec, which the proxy handler put in front of itself: sees decoded replies.
        ctx.pipeline().addBefore("proxy", "proxy-replies", replies);
        ctx.connect(target, localAddress, promise);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            timer = ctx.executor().schedule(this::timedOut, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelActive();
    }

    /** The set-up ran out of time: the proxy's refusal if it gave one and kept the connection open, else a timeout. */
    private void timedOut() {
        ConnectFailedException refused = replies.refusal();
        fail(
                refused != null
                        ? refused
                        : new ConnectFailedException(
                                Kind.CONNECT_TIMEOUT,
                                "the " + proxy.describe() + " did not open the tunnel to " + replies.target()
                                        + " within "
                                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (the connect timeout)"
                                        + (replies.answered()
                                                ? ""
                                                : ": it accepted the TCP connection but sent no answer"),
                                null));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            // Closed before the tunnel was up (the proxy hung up, or refused and closed): say so before TLS,
            // further on, takes it for a closed handshake.
            fail(replies.failure(null));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            fail(replies.failure(cause));
        }
        // Before the tunnel is up every failure is the tunnel's, reported above; TLS has not started.
    }

    private void fail(ConnectFailedException failure) {
        finished = true;
        cancelTimer();
        http2.failConnect(failure);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
