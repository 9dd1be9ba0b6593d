package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.aapns.auth.SslContexts;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.internal.ApnsHeaders;
import io.aapns.testing.TestPki;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 corners against a {@link ScriptedServer} that sends exact frames, for the connection's engine
 * ({@link FrameWire}): flow control (a tiny stream window, the connection window used up, WINDOW_UPDATE arriving late,
 * window overflows), CONTINUATION and padding in answers, unknown frames, SETTINGS sent twice, header-list limits.
 */
class WireConformanceTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private ScriptedServer server;
    private final List<Connection> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        opened.forEach(Connection::close);
        opened.forEach(c -> c.closeFuture().orTimeout(30, TimeUnit.SECONDS).join());
        server.close();
    }

    /** Connects; the server opens with {@code settings}. */
    private Connection connect(Http2Settings settings, ScriptedServer.Peer[] peer) throws Exception {
        ConnectionOptions options = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(TestPki.get().caCertificates())
                        .build())
                .pingInterval(java.time.Duration.ZERO)
                .build();
        CompletableFuture<Connection> connecting = Connection.connect(server.uri(), options);
        peer[0] = server.nextPeer();
        peer[0].settings(settings);
        Connection c = connecting.get(30, TimeUnit.SECONDS);
        opened.add(c);
        assertThat(c.handler.wire()).isInstanceOf(FrameWire.class);
        // the client's preface SETTINGS, then its acknowledgement of ours
        ScriptedServer.Frame first = peer[0].next(f -> f.type() == Http2FrameTypes.SETTINGS);
        assertThat(first.ack()).isFalse();
        assertThat(first.settings().pushEnabled()).isFalse();
        peer[0].next(f -> f.type() == Http2FrameTypes.SETTINGS && f.ack());
        peer[0].settingsAck();
        return c;
    }

    private static Request push(int payloadBytes) {
        return Request.builder("/3/device/" + TOKEN)
                .header(ApnsHeaders.APNS_TOPIC, "com.example.app")
                .header(ApnsHeaders.APNS_PUSH_TYPE, "alert")
                .payload("x".repeat(payloadBytes))
                .timeout(ScriptedServer.WAIT)
                .build();
    }

    private static Http2Headers status(int status) {
        return new DefaultHttp2Headers().status(String.valueOf(status));
    }

    private static Response answer(CompletableFuture<Response> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<Response> f) {
        Throwable t = catchThrowable(() -> f.get(30, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        return t.getCause();
    }

    private static int dataBytes(List<ScriptedServer.Frame> frames) {
        return frames.stream()
                .filter(f -> f.type() == Http2FrameTypes.DATA)
                .mapToInt(ScriptedServer.Frame::length)
                .sum();
    }

    @Test
    void aTinyStreamWindowHoldsDataUntilWindowUpdate() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().initialWindowSize(10), peer);

        CompletableFuture<Response> f = c.post(push(30));
        ScriptedServer.Frame headers = peer[0].next(Http2FrameTypes.HEADERS);
        assertThat(headers.endStream()).isFalse();
        List<ScriptedServer.Frame> beforeUpdate = peer[0].framesUntilPingAck(1);
        assertThat(dataBytes(beforeUpdate)).as("DATA within the 10-byte window").isEqualTo(10);
        assertThat(beforeUpdate).noneMatch(ScriptedServer.Frame::endStream);
        assertThat(f).isNotDone();

        peer[0].windowUpdate(headers.streamId(), 5);
        ScriptedServer.Frame part = peer[0].next(Http2FrameTypes.DATA);
        assertThat(part.length()).isEqualTo(5);
        assertThat(part.endStream()).isFalse();
        assertThat(dataBytes(peer[0].framesUntilPingAck(2))).isZero();

        peer[0].windowUpdate(headers.streamId(), 100);
        ScriptedServer.Frame last = peer[0].next(Http2FrameTypes.DATA);
        assertThat(last.length()).isEqualTo(15);
        assertThat(last.endStream()).isTrue();

        peer[0].headers(headers.streamId(), status(200), 0, true);
        assertThat(answer(f).status()).isEqualTo(200);
    }

    @Test
    void theConnectionWindowUsedUpWaitsForALateWindowUpdate() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);

        List<CompletableFuture<Response>> posted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            posted.add(c.post(push(4000))); // 80 000 bytes against a 65 535-byte connection window
        }
        await().atMost(ScriptedServer.WAIT).until(() -> c.sentCount() == 20);
        List<ScriptedServer.Frame> beforeUpdate = peer[0].framesUntilPingAck(1);
        assertThat(dataBytes(beforeUpdate)).isEqualTo(65_535);
        assertThat(posted).noneMatch(CompletableFuture::isDone);

        List<Integer> ended = new ArrayList<>();
        beforeUpdate.stream().filter(ScriptedServer.Frame::endStream).forEach(f -> ended.add(f.streamId()));
        // which requests finished first is the engine's choice

        peer[0].windowUpdate(0, 1_000_000);
        int rest = 80_000 - 65_535;
        while (ended.size() < 20) {
            ScriptedServer.Frame f = peer[0].next(Http2FrameTypes.DATA);
            rest -= f.length();
            assertThat(rest).as("no more DATA than the requests carry").isNotNegative();
            if (f.endStream()) {
                ended.add(f.streamId());
            }
        }
        assertThat(rest).isZero();
        for (int id : ended) {
            peer[0].headers(id, status(200), 0, true);
        }
        for (CompletableFuture<Response> f : posted) {
            assertThat(answer(f).status()).isEqualTo(200);
        }
    }

    @Test
    void aConnectionWindowOverflowIsAConnectionError() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);
        CompletableFuture<Response> f = c.post(push(20));
        peer[0].next(f2 -> f2.type() == Http2FrameTypes.DATA && f2.endStream());
        await().atMost(ScriptedServer.WAIT).until(() -> c.inFlight() == 1);

        peer[0].windowUpdate(0, Integer.MAX_VALUE);

        ScriptedServer.Frame goAway = peer[0].next(Http2FrameTypes.GO_AWAY);
        assertThat(goAway.code()).isEqualTo(Http2Error.FLOW_CONTROL_ERROR.code());
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(ClosedException.class);
        assertThat(((ClosedException) t).safeToRetry())
                .as("written whole and unanswered: the server may have it")
                .isFalse();
        c.closeFuture().get(30, TimeUnit.SECONDS);
        assertThat(c.lastError()).isPresent();
    }

    @Test
    void aStreamWindowOverflowResetsThatStream() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().initialWindowSize(10), peer);
        CompletableFuture<Response> f = c.post(push(5));
        ScriptedServer.Frame headers = peer[0].next(Http2FrameTypes.HEADERS);
        peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream());

        // 5 bytes of the window left: past 2^31-1
        peer[0].windowUpdate(headers.streamId(), Integer.MAX_VALUE);

        ScriptedServer.Frame reset = peer[0].next(Http2FrameTypes.RST_STREAM);
        assertThat(reset.streamId()).isEqualTo(headers.streamId());
        assertThat(reset.code()).isEqualTo(Http2Error.FLOW_CONTROL_ERROR.code());
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(ClosedException.class);
        assertThat(((ClosedException) t).safeToRetry())
                .as("written whole and unanswered: the server may have it")
                .isFalse();
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void anAnswerInContinuationFramesWithPaddingAndUnknownFrames() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);
        CompletableFuture<Response> f = c.post(push(20));
        int id = peer[0].next(f2 -> f2.type() == Http2FrameTypes.DATA && f2.endStream())
                .streamId();

        peer[0].unknownFrame(id);
        peer[0].unknownFrame(0);
        Http2Headers big = status(400)
                .add("apns-id", "0a1b2c3d-0000-1111-2222-333344445555")
                .add("x-filler", "f".repeat(3000));
        peer[0].headersInPieces(id, big, 700, false);
        peer[0].data(id, "{\"reason\":\"BadDeviceToken\"}", 17, true);

        Response r = answer(f);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.reason()).contains("BadDeviceToken");
        assertThat(r.headers().get("x-filler"))
                .singleElement()
                .satisfies(v -> assertThat(v.equals("f".repeat(3000))).isTrue());

        // padded HEADERS too, and the connection goes on
        CompletableFuture<Response> next = c.post(push(20));
        int id2 = peer[0].next(f2 -> f2.type() == Http2FrameTypes.DATA && f2.endStream())
                .streamId();
        peer[0].headers(id2, status(200), 40, true);
        assertThat(answer(next).status()).isEqualTo(200);
    }

    @Test
    void aSecondSettingsLowersTheStreamLimitAndMovesOpenWindows() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().maxConcurrentStreams(10).initialWindowSize(10), peer);
        assertThat(c.maxConcurrentStreams()).isEqualTo(10);
        CompletableFuture<Response> f = c.post(push(30));
        ScriptedServer.Frame headers = peer[0].next(Http2FrameTypes.HEADERS);
        assertThat(dataBytes(peer[0].framesUntilPingAck(1))).isEqualTo(10);

        // +15 to the open stream's window; one stream at a time from now on
        peer[0].settings(new Http2Settings().maxConcurrentStreams(1).initialWindowSize(25));
        List<ScriptedServer.Frame> afterSettings = new ArrayList<>();
        while (afterSettings.stream().noneMatch(x -> x.type() == Http2FrameTypes.SETTINGS && x.ack())
                || dataBytes(afterSettings) < 15) {
            afterSettings.add(peer[0].next(x -> true));
        }
        assertThat(dataBytes(afterSettings)).isEqualTo(15);
        assertThat(afterSettings).noneMatch(ScriptedServer.Frame::endStream);
        assertThat(dataBytes(peer[0].framesUntilPingAck(2))).isZero();
        await().atMost(ScriptedServer.WAIT).until(() -> c.maxConcurrentStreams() == 1);

        Throwable blocked = failure(c.post(push(5)));
        assertThat(blocked).isInstanceOf(BlockedException.class);

        peer[0].windowUpdate(headers.streamId(), 5);
        ScriptedServer.Frame last = peer[0].next(Http2FrameTypes.DATA);
        assertThat(last.length()).isEqualTo(5);
        assertThat(last.endStream()).isTrue();
        peer[0].headers(headers.streamId(), status(200), 0, true);
        assertThat(answer(f).status()).isEqualTo(200);
    }

    @Test
    void aHeaderListOverTheServersLimitFailsBeforeAnythingIsSent() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().maxHeaderListSize(200), peer);

        Throwable t = failure(c.post(push(20)));
        assertThat(t).isInstanceOf(ApnsException.class).isNotInstanceOf(ClosedException.class);
        assertThat(t.getMessage()).contains("SETTINGS_MAX_HEADER_LIST_SIZE");
        assertThat(peer[0].framesUntilPingAck(1)).noneMatch(x -> x.type() == Http2FrameTypes.HEADERS);
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void anAnswerOverOurHeaderListLimitFailsThatRequestOnly() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);
        CompletableFuture<Response> f = c.post(push(20));
        int id = peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream())
                .streamId();

        // over the 8 KB the client accepts, under the point where it would give up on the connection
        peer[0].headersInPieces(id, status(200).add("x-filler", "f".repeat(9000)), 16_000, true);

        Throwable t = failure(f);
        assertThat(t).isInstanceOf(ClosedException.class);
        ScriptedServer.Frame reset = peer[0].next(Http2FrameTypes.RST_STREAM);
        assertThat(reset.streamId()).isEqualTo(id);

        CompletableFuture<Response> next = c.post(push(20));
        int id2 = peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream())
                .streamId();
        peer[0].headers(id2, status(200), 0, true);
        assertThat(answer(next).status()).isEqualTo(200);
    }

    @Test
    void aFinalStatusThenResetCompletesAndPingsAreAnswered() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);
        CompletableFuture<Response> f = c.post(push(20));
        int id = peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream())
                .streamId();

        peer[0].headers(id, status(410), 0, false);
        peer[0].send(ctx -> peer[0].writer.writeRstStream(ctx, id, Http2Error.INTERNAL_ERROR.code(), ctx.newPromise()));
        assertThat(answer(f).status()).isEqualTo(410);

        List<ScriptedServer.Frame> none = peer[0].framesUntilPingAck(77);
        assertThat(none).noneMatch(x -> x.type() == Http2FrameTypes.RST_STREAM);
    }

    @Test
    void aHeaderTableSizeOfZeroIsFollowed() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().headerTableSize(0), peer);
        peer[0].decoderLimits(0, 8192);
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Response> f = c.post(push(20));
            ScriptedServer.Frame headers = peer[0].next(Http2FrameTypes.HEADERS);
            assertThat(headers.headers().get(ApnsHeaders.APNS_TOPIC)).hasToString("com.example.app");
            peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream());
            peer[0].headers(headers.streamId(), status(200), 0, true);
            assertThat(answer(f).status()).isEqualTo(200);
        }
    }

    @Test
    void framesLargerThanMaxFrameSizeAreSplit() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings().maxHeaderListSize(100_000), peer);
        peer[0].decoderLimits(4096, 100_000);
        String big = "b".repeat(20_000);
        Request request = Request.builder("/3/device/" + TOKEN)
                .header(ApnsHeaders.APNS_TOPIC, "com.example.app")
                .header("x-big", big)
                .payload("p".repeat(40_000))
                .timeout(ScriptedServer.WAIT)
                .build();
        CompletableFuture<Response> f = c.post(request);

        ScriptedServer.Frame headers = peer[0].next(Http2FrameTypes.HEADERS); // assembled from CONTINUATION
        assertThat(headers.headers().get("x-big").toString().equals(big)).isTrue();
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            ScriptedServer.Frame d = peer[0].next(Http2FrameTypes.DATA);
            sizes.add(d.length());
            if (d.endStream()) {
                break;
            }
        }
        assertThat(sizes).allMatch(n -> n <= 16_384);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(40_000);
        peer[0].headers(headers.streamId(), status(200), 0, true);
        assertThat(answer(f).status()).isEqualTo(200);
    }

    @Test
    void aLongAnswerGetsItsReceiveWindowsReplenished() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);
        CompletableFuture<Response> f = c.post(push(20));
        int id = peer[0].next(x -> x.type() == Http2FrameTypes.DATA && x.endStream())
                .streamId();

        peer[0].headers(id, status(200), 0, false);
        for (int i = 0; i < 4; i++) {
            peer[0].data(id, "d".repeat(16_000), 0, false); // 64 000 of the 65 535 both windows allow
        }
        boolean connection = false;
        boolean stream = false;
        while (!connection || !stream) {
            ScriptedServer.Frame update = peer[0].next(x -> x.type() == Http2FrameTypes.WINDOW_UPDATE);
            connection |= update.streamId() == 0;
            stream |= update.streamId() == id;
        }
        peer[0].data(id, "d".repeat(16_000), 0, false);
        peer[0].data(id, "d".repeat(16_000), 0, true);
        assertThat(answer(f).status()).isEqualTo(200);
        assertThat(c.isActive()).isTrue();
    }

    @Test
    void headersOnAStreamTheClientNeverOpenedAreAConnectionError() throws Exception {
        ScriptedServer.Peer[] peer = new ScriptedServer.Peer[1];
        Connection c = connect(new Http2Settings(), peer);

        peer[0].headers(99, status(200), 0, true);

        ScriptedServer.Frame goAway = peer[0].next(Http2FrameTypes.GO_AWAY);
        assertThat(goAway.code()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        c.closeFuture().get(30, TimeUnit.SECONDS);
        assertThat(c.lastError()).isPresent();
    }
}
