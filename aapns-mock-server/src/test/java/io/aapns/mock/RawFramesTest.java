package io.aapns.mock;

import io.aapns.mock.RawH2Client.AnswerEvent;
import io.aapns.mock.RawH2Client.GoAwayEvent;
import io.aapns.mock.RawH2Client.ResetEvent;
import io.aapns.mock.RawH2Client.SettingsEvent;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.netty.handler.codec.http2.Http2Error;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a raw Netty HTTP/2 client sees: SETTINGS, GOAWAY last-stream-id and debug data, resets. */
class RawFramesTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension();

    @Test
    void announcesTheStreamLimitAndChangesItAtRunTime() throws Exception {
        try (RawH2Client client = new RawH2Client(apns.server())) {
            assertThat(client.next(SettingsEvent.class).maxConcurrentStreams()).isEqualTo(1000L);

            apns.server().maxConcurrentStreams(5);

            assertThat(client.next(SettingsEvent.class).maxConcurrentStreams()).isEqualTo(5L);
        }
    }

    @Test
    void tokenConnectionsStartAtOneStreamUntilTheFirstValidToken() throws Exception {
        KeyPair key = TestJwt.newKey();
        apns.server().registerSigningKey("TEAM123456", "KEY1234567", key.getPublic());
        try (RawH2Client client = new RawH2Client(apns.server())) {
            assertThat(client.next(SettingsEvent.class).maxConcurrentStreams()).isEqualTo(1L);

            client.send(1, TestJwt.sign(key.getPrivate(), "KEY1234567", "TEAM123456", Instant.now()));

            assertThat(client.next(SettingsEvent.class).maxConcurrentStreams()).isEqualTo(1000L);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "frames of each stream flushed together: {0}")
    @ValueSource(booleans = {true, false})
    void gracefulGoAwayAfterNStreamsAnswersUpToItsLastStreamId(boolean flushEach) throws Exception {
        apns.server().faults().goAwayAfter(3);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            // flushEach=false: every HEADERS frame arrives before the DATA frames, so the DATA of
            // streams the server still owes comes after frames of streams above the GOAWAY
            List<Integer> ids = client.send(6, null, flushEach);

            GoAwayEvent goAway = client.next(GoAwayEvent.class);
            assertThat(goAway.lastStreamId()).isEqualTo(ids.get(2));
            assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(goAway.debugData()).isEmpty();
            assertThat(List.of(client.next(AnswerEvent.class), client.next(AnswerEvent.class),
                    client.next(AnswerEvent.class)))
                    .extracting(AnswerEvent::streamId, AnswerEvent::status)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ids.get(0), 200),
                            org.assertj.core.groups.Tuple.tuple(ids.get(1), 200),
                            org.assertj.core.groups.Tuple.tuple(ids.get(2), 200));
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.events()).noneMatch(e -> e instanceof AnswerEvent);
            assertThat(apns.server().requests()).extracting(RecordedRequest::streamId)
                    .containsExactlyInAnyOrderElementsOf(ids.subList(0, 3));
        }
    }

    @Test
    void goAwayWithAJsonReason() throws Exception {
        try (RawH2Client client = new RawH2Client(apns.server())) {
            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            apns.server().faults().goAwayOnNextRequest("BadCertificateEnvironment");

            List<Integer> ids = client.send(1);

            GoAwayEvent goAway = client.next(GoAwayEvent.class);
            assertThat(goAway.lastStreamId()).isEqualTo(ids.get(0) - 2);
            assertThat(goAway.debugData()).isEqualTo("{\"reason\":\"BadCertificateEnvironment\"}");
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(apns.server().requests()).extracting(RecordedRequest::outcome)
                    .containsExactly(RecordedRequest.Outcome.ANSWERED, RecordedRequest.Outcome.GOAWAY);
        }
    }

    @Test
    void goAwayOnCommandKeepsStreamsInFlight() throws Exception {
        apns.server().faults().delay(java.time.Duration.ofMillis(300));
        try (RawH2Client client = new RawH2Client(apns.server())) {
            List<Integer> ids = client.send(2);
            org.awaitility.Awaitility.await().until(() -> apns.server().requests().size() == 2);

            apns.server().connections().get(0).goAway("Shutdown");

            GoAwayEvent goAway = client.next(GoAwayEvent.class);
            assertThat(goAway.lastStreamId()).isEqualTo(ids.get(1));
            assertThat(goAway.debugData()).isEqualTo("{\"reason\":\"Shutdown\"}");
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void refusesStreamsWithRstStream() throws Exception {
        apns.server().faults().refuseNext(1);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            List<Integer> ids = client.send(1);

            ResetEvent reset = client.next(ResetEvent.class);
            assertThat(reset.streamId()).isEqualTo(ids.get(0));
            assertThat(reset.errorCode()).isEqualTo(Http2Error.REFUSED_STREAM.code());

            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(apns.server().requests()).extracting(RecordedRequest::outcome)
                    .containsExactly(RecordedRequest.Outcome.REFUSED, RecordedRequest.Outcome.ANSWERED);
        }
    }

    @Test
    void abruptCloseSendsNoGoAway() throws Exception {
        apns.server().faults().closeAfter(1);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);

            client.send(1);

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.events()).noneMatch(e -> e instanceof GoAwayEvent || e instanceof AnswerEvent);
            assertThat(apns.server().requests()).hasSize(1);
        }
    }

    @Test
    void closeOnCommandDropsTheConnection() throws Exception {
        try (RawH2Client client = new RawH2Client(apns.server())) {
            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);

            apns.server().connections().get(0).close();

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.events()).noneMatch(e -> e instanceof GoAwayEvent);
        }
    }

    @Test
    void collapseIdLimitCountsBytes() throws Exception {
        try (RawH2Client client = new RawH2Client(apns.server())) {
            // 22 characters, 66 bytes of UTF-8: the limit is in bytes
            io.netty.handler.codec.http2.Http2Headers headers = RawH2Client.push(null).set("apns-collapse-id",
                    new io.netty.util.AsciiString("€".repeat(22).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            client.channel().eventLoop().submit(() -> {
                var handler = client.channel().pipeline().get(io.netty.handler.codec.http2.Http2ConnectionHandler.class);
                var ctx = client.channel().pipeline().context(handler);
                handler.encoder().writeHeaders(ctx, 1, headers, 0, false, ctx.newPromise());
                handler.encoder().writeData(ctx, 1, io.netty.buffer.Unpooled.copiedBuffer(JdkClient.ALERT,
                        java.nio.charset.StandardCharsets.UTF_8), 0, true, ctx.newPromise());
                ctx.channel().flush();
            }).get(10, TimeUnit.SECONDS);

            AnswerEvent answer = client.next(AnswerEvent.class);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"reason\":\"BadCollapseId\"}");
        }
    }
}
