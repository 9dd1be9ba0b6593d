package io.aapns.connection;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;

/** Wires a {@link NettyWire} with Netty's decoder, encoder and flow controllers, set up for push. */
final class HandlerBuilder extends AbstractHttp2ConnectionHandlerBuilder<NettyWire, HandlerBuilder> {
    private final ConnectionHandler handler;

    HandlerBuilder(ConnectionHandler handler, ConnectionOptions options) {
        this.handler = handler;
        // A client connection whose DATA frames share the window evenly: APNs requests carry no
        // priorities, and Netty's default weighted-fair distributor keeps a priority tree per
        // stream (about 3.5 % of the client's CPU under load, async-profiler).
        Http2Connection h2 = new DefaultHttp2Connection(false);
        h2.remote().flowController(new DefaultHttp2RemoteFlowController(h2, new UniformStreamByteDistributor(h2)));
        connection(h2);
        // close() closes now; GOAWAY is sent explicitly where it belongs.
        decoupleCloseAndGoAway(true);
        initialSettings(new Http2Settings().pushEnabled(false));
        headerSensitivityDetector(RequestWriter.PER_REQUEST_VALUES);
        if (options.frameLogging()) {
            frameLogger(new FrameLog());
        }
        // Replaced in the handler's constructor; the builder insists on one.
        frameListener(new Http2EventAdapter());
    }

    @Override
    protected NettyWire build() {
        return super.build();
    }

    @Override
    protected NettyWire build(
            Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings) {
        return new NettyWire(decoder, encoder, initialSettings, handler);
    }
}
