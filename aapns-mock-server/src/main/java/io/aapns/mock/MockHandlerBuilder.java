package io.aapns.mock;

import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.logging.LogLevel;

/** Wires a {@link MockHttp2Handler} with Netty's server-side decoder and encoder, set up for the mock's faults. */
final class MockHandlerBuilder extends AbstractHttp2ConnectionHandlerBuilder<MockHttp2Handler, MockHandlerBuilder> {
    private final MockApnsServer server;
    private final MockConnection connection;
    private final boolean tokenAuth;

    MockHandlerBuilder(MockApnsServer server, MockConnection connection, boolean tokenAuth) {
        this.server = server;
        this.connection = connection;
        this.tokenAuth = tokenAuth;
        server(true);
        // The mock sends its own GOAWAY frames and closes by itself (see goAwayGracefully).
        decoupleCloseAndGoAway(true);
        // Faults.oversizeResponseHeaders must be able to exceed the client's header list limit.
        encoderIgnoreMaxHeaderListSize(true);
        if (Boolean.getBoolean("aapns.mock.frames")) {
            // -Daapns.mock.frames=true logs every frame, for debugging a client against the mock
            frameLogger(new Http2FrameLogger(LogLevel.INFO, "aapns.mock.frames"));
        }
    }

    @Override
    protected MockHandlerBuilder initialSettings(Http2Settings settings) {
        return super.initialSettings(settings);
    }

    @Override
    protected MockHttp2Handler build() {
        return super.build();
    }

    @Override
    protected MockHttp2Handler build(
            Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings) {
        return new MockHttp2Handler(decoder, encoder, initialSettings, server, connection, tokenAuth);
    }
}
