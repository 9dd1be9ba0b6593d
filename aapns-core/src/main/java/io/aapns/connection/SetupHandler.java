package io.aapns.connection;

import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.ConnectFailedException.Kind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Waits for the TLS handshake, checks ALPN {@code h2} and TLS 1.2+, then puts the HTTP/2 {@link ConnectionHandler} in
 * its place. Fails the connect future on the way if anything is off; through a proxy, failures before the tunnel is up
 * are the {@link ProxyTunnel}'s to report.
 */
final class SetupHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionHandler http2;
    private final SslHandler tls;

    SetupHandler(ConnectionHandler http2, SslHandler tls) {
        this.http2 = http2;
        this.tls = tls;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess() && tunnelPending(ctx)) {
                // The proxy never opened the tunnel, so TLS never began: the tunnel reports why.
                return;
            }
            if (!done.isSuccess()) {
                Throwable cause = done.cause();
                if (!ctx.channel().isActive()) {
                    // The peer closed the connection mid-handshake without a TLS alert (an alert is
                    // handled while the channel is still active): a network or load problem.
                    http2.failConnect(new ConnectFailedException(
                            Kind.CONNECT_FAILED, "the server closed the connection during the TLS handshake", cause));
                    return;
                }
                http2.failConnect(new ConnectFailedException(
                        Kind.TLS_FAILED, "TLS handshake failed: " + Frames.describe(cause), cause));
                return;
            }
            String alpn = tls.applicationProtocol();
            if (!ApplicationProtocolNames.HTTP_2.equals(alpn)) {
                http2.failConnect(new ConnectFailedException(
                        Kind.PROTOCOL,
                        "server did not negotiate HTTP/2 (ALPN: " + (alpn == null ? "none" : alpn) + ")",
                        null));
                return;
            }
            String protocol = tls.engine().getSession().getProtocol();
            if (!"TLSv1.2".equals(protocol) && !"TLSv1.3".equals(protocol)) {
                http2.failConnect(new ConnectFailedException(
                        Kind.TLS_FAILED, "server negotiated " + protocol + "; TLS 1.2 or newer is required", null));
                return;
            }
            ctx.pipeline().replace(this, "http2", http2.wire());
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (tunnelPending(ctx)) {
            return;
        }
        Kind kind = Frames.isTlsFailure(cause) ? Kind.TLS_FAILED : Kind.CONNECT_FAILED;
        http2.failConnect(new ConnectFailedException(
                kind,
                (kind == Kind.TLS_FAILED ? "TLS handshake failed: " : "connection failed during TLS: ")
                        + Frames.describe(cause),
                cause));
    }

    /** Whether a proxy tunnel is still being set up in front of TLS (it leaves the pipeline once it is up). */
    private static boolean tunnelPending(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(ProxyTunnel.class) != null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        // Closed without a TLS alert: a network or load problem rather than a certificate one.
        http2.failConnect(new ConnectFailedException(
                Kind.CONNECT_FAILED, "the server closed the connection during the TLS handshake", null));
        super.channelInactive(ctx);
    }
}
