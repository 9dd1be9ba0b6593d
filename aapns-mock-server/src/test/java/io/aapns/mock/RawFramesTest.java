package io.aapns.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.mock.RawH2Client.AnswerEvent;
import io.aapns.mock.RawH2Client.DataEvent;
import io.aapns.mock.RawH2Client.Event;
import io.aapns.mock.RawH2Client.GoAwayEvent;
import io.aapns.mock.RawH2Client.HeadersEvent;
import io.aapns.mock.RawH2Client.ResetEvent;
import io.aapns.mock.RawH2Client.SettingsEvent;
import io.aapns.mock.RawH2Client.WindowUpdateEvent;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.netty.handler.codec.http2.Http2Error;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
            assertThat(List.of(
                            client.next(AnswerEvent.class),
                            client.next(AnswerEvent.class),
                            client.next(AnswerEvent.class)))
                    .extracting(AnswerEvent::streamId, AnswerEvent::status)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ids.get(0), 200),
                            org.assertj.core.groups.Tuple.tuple(ids.get(1), 200),
                            org.assertj.core.groups.Tuple.tuple(ids.get(2), 200));
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(client.events()).noneMatch(e -> e instanceof AnswerEvent);
            assertThat(apns.server().requests())
                    .extracting(RecordedRequest::streamId)
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
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(apns.server().requests())
                    .extracting(RecordedRequest::outcome)
                    .containsExactly(RecordedRequest.Outcome.ANSWERED, RecordedRequest.Outcome.GOAWAY);
        }
    }

    @Test
    void goAwayOnCommandKeepsStreamsInFlight() throws Exception {
        apns.server().faults().delay(java.time.Duration.ofMillis(300));
        try (RawH2Client client = new RawH2Client(apns.server())) {
            List<Integer> ids = client.send(2);
            org.awaitility.Awaitility.await()
                    .until(() -> apns.server().requests().size() == 2);

            apns.server().connections().get(0).goAway("Shutdown");

            GoAwayEvent goAway = client.next(GoAwayEvent.class);
            assertThat(goAway.lastStreamId()).isEqualTo(ids.get(1));
            assertThat(goAway.debugData()).isEqualTo("{\"reason\":\"Shutdown\"}");
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
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
            assertThat(apns.server().requests())
                    .extracting(RecordedRequest::outcome)
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

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
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

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(client.events()).noneMatch(e -> e instanceof GoAwayEvent);
        }
    }

    // ------------------------------------------------------------ answer, then reset or close

    @Test
    void answerThenResetSendsHeadersWithoutEndStreamThenCancel() throws Exception {
        apns.server().faults().answerThenResetNext(1, 200);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            client.peek(ResetEvent.class);

            List<Event> frames = client.framesOf(id);
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0)).isInstanceOfSatisfying(HeadersEvent.class, headers -> {
                assertThat(headers.status()).isEqualTo(200);
                assertThat(headers.endOfStream()).isFalse();
                assertThat(headers.headers()).containsKey("apns-id");
            });
            assertThat(frames.get(1)).isEqualTo(new ResetEvent(id, Http2Error.CANCEL.code()));
            assertThat(client.events()).noneMatch(e -> e instanceof AnswerEvent);

            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(apns.server().requests())
                    .extracting(RecordedRequest::outcome)
                    .containsExactly(RecordedRequest.Outcome.ANSWERED_THEN_RESET, RecordedRequest.Outcome.ANSWERED);
            assertThat(apns.server().acceptedRequests()).hasSize(2);
        }
    }

    @Test
    void answerThenResetWithAReasonSendsTheBodyWithoutEndStreamFirst() throws Exception {
        apns.server().faults().answerThenResetNext(1, 400, "BadDeviceToken");
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            client.peek(ResetEvent.class);

            List<Event> frames = client.framesOf(id);
            assertThat(frames).hasSize(3);
            assertThat(frames.get(0)).isInstanceOfSatisfying(HeadersEvent.class, headers -> {
                assertThat(headers.status()).isEqualTo(400);
                assertThat(headers.endOfStream()).isFalse();
                assertThat(headers.headers()).containsKeys("apns-id", "content-type");
            });
            assertThat(frames.get(1)).isEqualTo(new DataEvent(id, "{\"reason\":\"BadDeviceToken\"}", false));
            assertThat(frames.get(2)).isEqualTo(new ResetEvent(id, Http2Error.CANCEL.code()));
            assertThat(apns.server().requests()).singleElement().satisfies(request -> {
                assertThat(request.outcome()).isEqualTo(RecordedRequest.Outcome.ANSWERED_THEN_RESET);
                assertThat(request.status()).isEqualTo(400);
                assertThat(request.reason()).isEqualTo("BadDeviceToken");
                assertThat(request.accepted()).isFalse();
            });
        }
    }

    @Test
    void answerThenResetWithoutAReasonSendsNoBody() throws Exception {
        apns.server().faults().answerThenResetNext(1, 503);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            client.peek(ResetEvent.class);

            assertThat(client.framesOf(id))
                    .satisfiesExactly(
                            headers -> assertThat(headers).isInstanceOfSatisfying(HeadersEvent.class, h -> {
                                assertThat(h.status()).isEqualTo(503);
                                assertThat(h.endOfStream()).isFalse();
                                assertThat(h.headers()).doesNotContainKey("content-type");
                            }),
                            reset -> assertThat(reset).isEqualTo(new ResetEvent(id, Http2Error.CANCEL.code())));
        }
    }

    @Test
    void answerThenCloseSendsHeadersWithoutEndStreamThenDropsTheConnection() throws Exception {
        apns.server().faults().answerThenCloseNext(1, 200);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();

            assertThat(client.framesOf(id)).singleElement().isInstanceOfSatisfying(HeadersEvent.class, headers -> {
                assertThat(headers.status()).isEqualTo(200);
                assertThat(headers.endOfStream()).isFalse();
                assertThat(headers.headers()).containsKey("apns-id");
            });
            assertThat(client.events()).noneMatch(e -> e instanceof GoAwayEvent || e instanceof AnswerEvent);
            assertThat(apns.server().requests()).singleElement().satisfies(request -> {
                assertThat(request.outcome()).isEqualTo(RecordedRequest.Outcome.ANSWERED_THEN_CLOSED);
                assertThat(request.accepted()).isTrue();
            });
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !apns.server().connections().get(0).isOpen());
        }
    }

    @Test
    void answerThenCloseWithAReasonSendsTheBodyFirst() throws Exception {
        apns.server().faults().answerThenCloseNext(1, 410, "Unregistered");
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            assertThat(client.channel().closeFuture().await(10, TimeUnit.SECONDS))
                    .isTrue();

            List<Event> frames = client.framesOf(id);
            assertThat(frames).hasSize(2);
            assertThat(frames.get(0)).isInstanceOfSatisfying(HeadersEvent.class, headers -> {
                assertThat(headers.status()).isEqualTo(410);
                assertThat(headers.endOfStream()).isFalse();
            });
            assertThat(frames.get(1)).isEqualTo(new DataEvent(id, "{\"reason\":\"Unregistered\"}", false));
            assertThat(client.events()).noneMatch(e -> e instanceof GoAwayEvent || e instanceof ResetEvent);
        }
    }

    // ------------------------------------------------------------ resets without an answer

    @Test
    void resetAfterEndStreamReadsTheWholeRequestAndAnswersNothing() throws Exception {
        apns.server().faults().resetAfterEndStreamNext(1, Http2Error.INTERNAL_ERROR);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            client.peek(ResetEvent.class);

            assertThat(client.framesOf(id)).containsExactly(new ResetEvent(id, Http2Error.INTERNAL_ERROR.code()));
            assertThat(client.dataWrite(id).isSuccess()).isTrue();
            assertThat(apns.server().requests()).singleElement().satisfies(request -> {
                assertThat(request.outcome()).isEqualTo(RecordedRequest.Outcome.RESET);
                assertThat(request.payloadAsString()).isEqualTo(JdkClient.ALERT);
                assertThat(request.status()).isZero();
            });

            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
        }
    }

    @Test
    void resetBeforeEndStreamWithAWindowOfZeroResetsBeforeAnyDataLeavesTheClient() throws Exception {
        try (MockApnsServer server =
                        MockApnsServer.builder().initialWindowSize(0).start();
                RawH2Client client = new RawH2Client(server)) {
            assertThat(client.next(SettingsEvent.class).initialWindowSize()).isZero();
            server.faults().resetBeforeEndStreamNext(1);

            List<Integer> ids = client.send(2);

            AnswerEvent answer = client.next(AnswerEvent.class);
            assertThat(answer.streamId()).isEqualTo(ids.get(1));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(client.framesOf(ids.get(0)))
                    .containsExactly(new ResetEvent(ids.get(0), Http2Error.INTERNAL_ERROR.code()));
            assertThat(client.framesOf(ids.get(1)).get(0)).isEqualTo(new WindowUpdateEvent(ids.get(1), 65535));
            // the reset stream's DATA, END_STREAM with it, never went out
            assertThat(client.dataWrite(ids.get(0)).await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.dataWrite(ids.get(0)).isSuccess()).isFalse();
            assertThat(client.dataWrite(ids.get(1)).isSuccess()).isTrue();
            assertThat(server.requests()).extracting(RecordedRequest::streamId).containsExactly(ids.get(1));
            assertThat(server.connections())
                    .singleElement()
                    .satisfies(
                            connection -> assertThat(connection.streamCount()).isEqualTo(2));
        }
    }

    @Test
    void resetBeforeEndStreamWithTheDefaultWindowResetsAtTheHeaders() throws Exception {
        apns.server().faults().resetBeforeEndStreamNext(1, Http2Error.CANCEL);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            int id = client.send(1).get(0);

            assertThat(client.next(ResetEvent.class)).isEqualTo(new ResetEvent(id, Http2Error.CANCEL.code()));

            client.send(1);
            assertThat(client.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(apns.server().requests())
                    .singleElement()
                    .satisfies(request -> assertThat(request.streamId()).isNotEqualTo(id));
        }
    }

    // ------------------------------------------------------------ header list size

    @Test
    void oversizeResponseHeadersExceedTheLimitTheClientAnnounced() throws Exception {
        // RawH2Client announces Netty's default SETTINGS_MAX_HEADER_LIST_SIZE, 8192, and reads more
        apns.server().faults().oversizeResponseHeaders(20_000);
        try (RawH2Client client = new RawH2Client(apns.server())) {
            client.send(1);

            HeadersEvent headers = client.next(HeadersEvent.class);
            assertThat(headers.status()).isEqualTo(200);
            assertThat(headers.endOfStream()).isTrue();
            assertThat(headers.headers().get("x-mock-padding")).hasSize(20_000);

            apns.server().faults().oversizeResponseHeaders(0);
            client.send(1);
            assertThat(client.next(HeadersEvent.class).headers()).doesNotContainKey("x-mock-padding");
        }
    }

    // ------------------------------------------------------------ a stream limit from 0

    @Test
    void initialStreamLimitOfZeroIsRaisedOnEveryLiveConnection() throws Exception {
        try (MockApnsServer server =
                MockApnsServer.builder().initialMaxConcurrentStreams(0).start()) {
            KeyPair key = TestJwt.newKey();
            try (RawH2Client certificateless = new RawH2Client(server)) {
                assertThat(certificateless.next(SettingsEvent.class).maxConcurrentStreams())
                        .isZero();
                server.registerSigningKey("TEAM123456", "KEY1234567", key.getPublic());
                try (RawH2Client token = new RawH2Client(server)) {
                    assertThat(token.next(SettingsEvent.class).maxConcurrentStreams())
                            .isZero();

                    server.maxConcurrentStreams(3);

                    assertThat(certificateless.next(SettingsEvent.class).maxConcurrentStreams())
                            .isEqualTo(3L);
                    // a token connection goes to one stream until its first valid token, as APNs
                    assertThat(token.next(SettingsEvent.class).maxConcurrentStreams())
                            .isEqualTo(1L);
                    token.send(1, TestJwt.sign(key.getPrivate(), "KEY1234567", "TEAM123456", Instant.now()));
                    assertThat(token.next(SettingsEvent.class).maxConcurrentStreams())
                            .isEqualTo(3L);
                    assertThat(token.next(AnswerEvent.class).status()).isEqualTo(200);
                }
            }
            server.reset();
            try (RawH2Client again = new RawH2Client(server)) {
                assertThat(again.next(SettingsEvent.class).maxConcurrentStreams())
                        .isZero();
                server.maxConcurrentStreams(2);
                assertThat(again.next(SettingsEvent.class).maxConcurrentStreams())
                        .isEqualTo(2L);
                again.send(1);
                assertThat(again.next(AnswerEvent.class).status()).isEqualTo(200);
            }
            try (RawH2Client later = new RawH2Client(server)) {
                assertThat(later.next(SettingsEvent.class).maxConcurrentStreams())
                        .isEqualTo(2L);
            }
        }
    }

    // ------------------------------------------------------------ certificates rejected

    @Test
    void rejectedClientCertificatesFailNewHandshakesWithBadCertificate() throws Exception {
        try (RawH2Client before = new RawH2Client(apns.server())) {
            before.send(1);
            assertThat(before.next(AnswerEvent.class).status()).isEqualTo(200);

            apns.server().faults().rejectClientCertificates(true);

            try (RawH2Client rejected = new RawH2Client(apns.server())) {
                assertThat(rejected.handshake().await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(rejected.handshake().cause())
                        .isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("bad_certificate");
            }
            before.send(1);
            assertThat(before.next(AnswerEvent.class).status()).isEqualTo(200);
            assertThat(apns.server().connections()).hasSize(1);

            apns.server().faults().rejectClientCertificates(false);
            try (RawH2Client after = new RawH2Client(apns.server())) {
                after.send(1);
                assertThat(after.next(AnswerEvent.class).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void rejectsTheNextClientCertificatesOnly() throws Exception {
        apns.server().faults().rejectNextClientCertificates(1);
        try (RawH2Client rejected = new RawH2Client(apns.server())) {
            assertThat(rejected.handshake().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rejected.handshake().cause())
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("bad_certificate");
        }
        try (RawH2Client accepted = new RawH2Client(apns.server())) {
            accepted.send(1);
            assertThat(accepted.next(AnswerEvent.class).status()).isEqualTo(200);
        }
    }

    @Test
    void collapseIdLimitCountsBytes() throws Exception {
        try (RawH2Client client = new RawH2Client(apns.server())) {
            // 22 characters, 66 bytes of UTF-8: the limit is in bytes
            io.netty.handler.codec.http2.Http2Headers headers = RawH2Client.push(null)
                    .set(
                            "apns-collapse-id",
                            new io.netty.util.AsciiString(
                                    "€".repeat(22).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            client.channel()
                    .eventLoop()
                    .submit(() -> {
                        var handler = client.channel()
                                .pipeline()
                                .get(io.netty.handler.codec.http2.Http2ConnectionHandler.class);
                        var ctx = client.channel().pipeline().context(handler);
                        handler.encoder().writeHeaders(ctx, 1, headers, 0, false, ctx.newPromise());
                        handler.encoder()
                                .writeData(
                                        ctx,
                                        1,
                                        io.netty.buffer.Unpooled.copiedBuffer(
                                                JdkClient.ALERT, java.nio.charset.StandardCharsets.UTF_8),
                                        0,
                                        true,
                                        ctx.newPromise());
                        ctx.channel().flush();
                    })
                    .get(10, TimeUnit.SECONDS);

            AnswerEvent answer = client.next(AnswerEvent.class);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo("{\"reason\":\"BadCollapseId\"}");
        }
    }
}
