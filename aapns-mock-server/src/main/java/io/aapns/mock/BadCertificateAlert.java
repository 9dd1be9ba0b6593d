package io.aapns.mock;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Fails a TLS handshake as a server that rejects the client's certificate: once the ClientHello arrives it answers with
 * a plaintext fatal {@code bad_certificate} alert record, then shuts its output down and drops what the client still
 * sends until the client closes (at most two seconds), so that no TCP reset can destroy the alert before the client
 * reads it.
 */
final class BadCertificateAlert extends ChannelInboundHandlerAdapter {

    /** TLS record: alert (21), version 3.3, length 2; alert: fatal (2), bad_certificate (42). */
    private static final byte[] ALERT = {21, 3, 3, 0, 2, 2, 42};

    private boolean sent;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ReferenceCountUtil.release(message);
        if (sent) {
            return;
        }
        sent = true;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(ALERT)).addListener(written -> {
            if (ctx.channel() instanceof DuplexChannel duplex && ctx.channel().isActive()) {
                duplex.shutdownOutput();
            }
        });
        ctx.executor()
                .schedule(
                        () -> {
                            ctx.close();
                        },
                        2,
                        TimeUnit.SECONDS);
    }
}
