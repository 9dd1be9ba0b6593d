package io.aapns.mock;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** After the TLS handshake: HTTP/2 becomes a mock connection; anything else is closed. */
final class ProtocolSelector extends ApplicationProtocolNegotiationHandler {
    private static final Logger log = LoggerFactory.getLogger(MockApnsServer.class);

    private final MockApnsServer server;

    ProtocolSelector(MockApnsServer server) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.server = server;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            ctx.close();
            return;
        }
        server.http2Negotiated(ctx);
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
