package io.aapns.mock;

import static io.aapns.mock.ValidationTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.mock.junit.MockApnsServerExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault, seen through the JDK's HTTP/2 client and the server's own records. */
class FaultsTest {

    @RegisterExtension
    static MockApnsServerExtension apns =
            new MockApnsServerExtension(b -> b.gracefulShutdownTimeout(Duration.ofSeconds(5)));

    private JdkClient client;

    @BeforeEach
    void client() {
        client = new JdkClient(apns.server());
    }

    @Test
    void delaysAnswers() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(300));

        long start = System.nanoTime();
        HttpResponse<String> response = client.send(client.push());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void delayedErrorsKeepTheirBody() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(50));

        assertError(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)), 400, "MissingTopic");
    }

    @Test
    void stallsTheNextRequests() throws Exception {
        apns.server().faults().stallNext(1);

        assertThatThrownBy(() -> client.send(client.push().timeout(Duration.ofMillis(500))))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
        assertThat(apns.server().requests())
                .extracting(RecordedRequest::outcome)
                .containsExactly(RecordedRequest.Outcome.STALLED, RecordedRequest.Outcome.ANSWERED);
    }

    @Test
    void stallsEverythingWhileAsked() throws Exception {
        apns.server().faults().stallAll(true);
        assertThatThrownBy(() -> client.send(client.push().timeout(Duration.ofMillis(300))))
                .isInstanceOf(HttpTimeoutException.class);

        apns.server().faults().stallAll(false);
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesStreams() throws Exception {
        apns.server().faults().refuseNext(1);

        try {
            client.send(client.push());
        } catch (IOException refused) {
            // the JDK client may surface the refusal or retry it by itself: the records tell
        }

        assertThat(apns.server().requests().get(0).outcome()).isEqualTo(RecordedRequest.Outcome.REFUSED);
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheNextRequestsWithAnError() throws Exception {
        apns.server().faults().respondNext(2, 503, "ServiceUnavailable");

        assertError(client.send(client.push()), 503, "ServiceUnavailable");
        assertError(client.send(client.push()), 503, "ServiceUnavailable");
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void statusFaultsApplyOnlyToValidRequests() throws Exception {
        apns.server().faults().respondNext(1, 429, "TooManyRequests");

        assertError(client.send(client.push(JdkClient.TOKEN, JdkClient.ALERT)), 400, "MissingTopic");
        assertError(client.send(client.push()), 429, "TooManyRequests");
    }

    @Test
    void answersAFractionWithAnError() throws Exception {
        apns.server().faults().seed(7).respondFraction(0.3, 500, "InternalServerError");

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            responses.add(client.client().sendAsync(client.push().build(), HttpResponse.BodyHandlers.ofString()));
        }
        long errors = responses.stream()
                .map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 500)
                .count();

        assertThat(errors).isBetween(30L, 90L);
        assertThat(apns.server().requests()).filteredOn(r -> r.status() == 500).hasSize((int) errors);
    }

    @Test
    void goAwayAfterNStreamsMovesTheClientToNewConnections() throws Exception {
        apns.server().faults().goAwayAfter(2);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response;
            try {
                response = client.send(client.push());
            } catch (IOException goAway) {
                // JDK 17's client fails every stream of a connection that got GOAWAY, even those at
                // or below its last-stream-id that the server still answers (later JDKs fix this);
                // RawFramesTest checks those answers frame by frame. Re-send on a new connection.
                client = new JdkClient(apns.server());
                response = client.send(client.push());
            }
            assertThat(response.statusCode()).isEqualTo(200);
        }

        List<MockConnection> connections = apns.server().connections();
        assertThat(connections).hasSizeGreaterThanOrEqualTo(3);
        assertThat(connections).allSatisfy(c -> assertThat(c.streamCount()).isBetween(1, 2));
        // JDK 17's client may also abandon the stream that triggered the GOAWAY before sending its
        // body, so a connection can have accepted fewer requests than it saw streams
        assertThat(connections).allSatisfy(c -> assertThat(c.acceptedCount()).isBetween(1, c.streamCount()));
        org.awaitility.Awaitility.await()
                .untilAsserted(() -> assertThat(connections.subList(0, connections.size() - 1))
                        .noneMatch(MockConnection::isOpen));
    }

    @Test
    void abruptCloseAfterNStreams() throws Exception {
        apns.server().faults().closeAfter(2);

        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> client.send(client.push())).isInstanceOf(IOException.class);

        assertThat(apns.server().requests()).hasSize(2);
        org.awaitility.Awaitility.await()
                .until(() -> !apns.server().connections().get(0).isOpen());
    }

    @Test
    void goAwayWithReasonClosesTheConnection() throws Exception {
        apns.server().faults().goAwayOnNextRequest("BadCertificateEnvironment");

        try {
            client.send(client.push());
        } catch (IOException closed) {
            // the JDK client may report the GOAWAY or retry on a new connection: the records tell
        }

        assertThat(apns.server().requests().get(0).outcome()).isEqualTo(RecordedRequest.Outcome.GOAWAY);
        org.awaitility.Awaitility.await()
                .until(() -> !apns.server().connections().get(0).isOpen());
    }

    @Test
    void refusesHandshakes() {
        apns.server().faults().refuseHandshake(true);

        assertThatThrownBy(() -> client.send(client.push())).isInstanceOf(IOException.class);
        assertThat(apns.server().connections()).isEmpty();
    }

    @Test
    void rejectsClientCertificatesWithABadCertificateAlert() throws Exception {
        MockClientCertificate certificate = apns.server().issueClientCertificate(JdkClient.TOPIC);
        JdkClient open = new JdkClient(apns.server(), certificate);
        assertThat(open.send(open.push()).statusCode()).isEqualTo(200);

        apns.server().faults().rejectClientCertificates(true);

        JdkClient rejected = new JdkClient(apns.server(), certificate);
        assertThatThrownBy(() -> rejected.send(rejected.push()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .hasMessageContaining("bad_certificate");
        assertThat(open.send(open.push()).statusCode()).isEqualTo(200);
        assertThat(apns.server().connections()).hasSize(1);
    }

    @Test
    void stallsHandshakes() throws Exception {
        apns.server().faults().stallHandshake(true);

        assertThatThrownBy(() -> client.send(client.push().timeout(Duration.ofMillis(500))))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(apns.server().connections()).isEmpty();

        apns.server().faults().stallHandshake(false);
        assertThat(new JdkClient(apns.server()).send(client.push()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void connectionFaultsComeBeforeTheServersAndCanBeScriptedAtOpen() throws Exception {
        apns.server().faults().respondNext(5, 503, "ServiceUnavailable");
        apns.server().addListener(new MockServerListener() {
            @Override
            public void connectionOpened(MockConnection connection) {
                connection.faults().respondNext(1, 500, "InternalServerError");
            }
        });

        assertError(client.send(client.push()), 500, "InternalServerError");
        assertError(client.send(client.push()), 503, "ServiceUnavailable");
    }

    @Test
    void listenersSeeRequestsAndConnections() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        apns.server().addListener(new MockServerListener() {
            @Override
            public void connectionOpened(MockConnection connection) {
                seen.add("open " + connection.id());
            }

            @Override
            public void requestReceived(RecordedRequest request) {
                seen.add("request " + request.status());
            }

            @Override
            public void connectionClosed(MockConnection connection) {
                seen.add("closed " + connection.id());
            }
        });

        client.send(client.push());
        apns.server().closeConnections();

        org.awaitility.Awaitility.await()
                .untilAsserted(() -> assertThat(seen).containsExactly("open 1", "request 200", "closed 1"));
    }

    @Test
    void resetClearsFaults() throws Exception {
        apns.server().faults().respondNext(10, 500, "InternalServerError");

        apns.server().reset();

        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsNonsenseFaults() {
        Faults faults = apns.server().faults();
        assertThatThrownBy(() -> faults.respondNext(1, 200, "Fine")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.respondFraction(1.5, 500, "X")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.refuseNext(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.delay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.answerThenResetNext(1, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.answerThenCloseNext(1, 200, "Fine"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.resetAfterEndStreamNext(-1, io.netty.handler.codec.http2.Http2Error.CANCEL))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.oversizeResponseHeaders(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockApnsServer.builder().initialMaxConcurrentStreams(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockApnsServer.builder().initialWindowSize(65536))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetClearsTheNewFaults() throws Exception {
        apns.server()
                .faults()
                .answerThenResetNext(5, 200)
                .answerThenCloseNext(5, 200)
                .resetAfterEndStreamNext(5, io.netty.handler.codec.http2.Http2Error.CANCEL)
                .resetBeforeEndStreamNext(5)
                .oversizeResponseHeaders(10_000)
                .rejectClientCertificates(true);

        apns.server().reset();

        HttpResponse<String> response = client.send(client.push());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-mock-padding")).isEmpty();
        assertThat(apns.server().requests())
                .extracting(RecordedRequest::outcome)
                .containsExactly(RecordedRequest.Outcome.ANSWERED);
    }
}
