package io.aapns.connection;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aapns.auth.SslContexts;
import io.aapns.internal.ApnsHeaders;
import io.aapns.testing.TestPki;
import io.aapns.testing.WireMockH2;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain status mapping against WireMock serving HTTP/2 over TLS (ALPN h2). */
class WireMockStatusMappingTest {
    private static final String TOKEN = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    static Path dir;

    static WireMockServer wireMock;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.get();
        wireMock = WireMockH2.start(dir);
        stub("/3/device/ok", 200, null, "accepted-id");
        stub("/3/device/bad", 400, "{\"reason\":\"BadDeviceToken\"}", "bad-id");
        stub("/3/device/gone", 410, "{\"reason\":\"Unregistered\",\"timestamp\":1700000000123}", "gone-id");
        stub("/3/device/unknown", 403, "{\"reason\":\"SomethingApple\\u0020Added\"}", "u-id");
        stub("/3/device/html", 502, "<html>Bad Gateway</html>", null);
        stub("/3/device/busy", 429, "{\"reason\":\"TooManyRequests\"}", null);

        ConnectionOptions options = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(pki.caCertificates())
                        .build())
                .build();
        connection = Connection.connect(WireMockH2.origin(wireMock), options).get(20, TimeUnit.SECONDS);
    }

    private static void stub(String path, int status, String body, String apnsId) {
        var response = aResponse().withStatus(status);
        if (body != null) {
            response = response.withBody(body);
        }
        if (apnsId != null) {
            response = response.withHeader("apns-id", apnsId);
        }
        wireMock.stubFor(post(urlEqualTo(path)).willReturn(response));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        if (wireMock != null) {
            wireMock.stop();
        }
    }

    private static Response send(String path) throws Exception {
        Request request = Request.builder(path)
                .header(ApnsHeaders.APNS_TOPIC, "com.example.app")
                .header("apns-push-type", "alert")
                .payload("{\"aps\":{\"alert\":\"hi\"}}")
                .timeout(Duration.ofSeconds(10))
                .build();
        return connection.post(request).get(20, TimeUnit.SECONDS);
    }

    @Test
    void acceptedAnswerCarriesTheApnsIdAndNoReason() throws Exception {
        Response r = send("/3/device/ok");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.isSuccessful()).isTrue();
        assertThat(r.apnsId()).contains("accepted-id");
        assertThat(r.reason()).isEmpty();
        assertThat(r.timestamp()).isEmpty();
        wireMock.verify(postRequestedFor(urlEqualTo("/3/device/ok"))
                .withHeader("apns-topic", equalTo("com.example.app"))
                .withHeader("apns-push-type", equalTo("alert")));
    }

    @Test
    void rejectionCarriesItsReason() throws Exception {
        Response r = send("/3/device/bad");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.isSuccessful()).isFalse();
        assertThat(r.reason()).contains("BadDeviceToken");
        assertThat(r.apnsId()).contains("bad-id");
    }

    @Test
    void goneCarriesItsTimestamp() throws Exception {
        Response r = send("/3/device/gone");
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.reason()).contains("Unregistered");
        assertThat(r.timestamp()).contains(Instant.ofEpochMilli(1700000000123L));
    }

    @Test
    void unknownReasonIsKeptAsText() throws Exception {
        Response r = send("/3/device/unknown");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.reason()).contains("SomethingApple Added");
    }

    @Test
    void bodyThatIsNotJsonIsKeptWithoutReason() throws Exception {
        Response r = send("/3/device/html");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.reason()).isEmpty();
        assertThat(r.bodyText()).isEqualTo("<html>Bad Gateway</html>");
    }

    @Test
    void tooManyRequests() throws Exception {
        Response r = send("/3/device/busy");
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.reason()).contains("TooManyRequests");
    }

    @Test
    void bufferPayloadIsSentAndOnlyTheConnectionsOwnReferenceIsReleased() throws Exception {
        byte[] json = "{\"aps\":{\"alert\":\"from a pooled buffer\"}}".getBytes(StandardCharsets.UTF_8);
        ByteBuf buffer =
                PooledByteBufAllocator.DEFAULT.directBuffer(json.length).writeBytes(json);
        try {
            Request request = Request.builder("/3/device/ok")
                    .payload(buffer)
                    .timeout(Duration.ofSeconds(10))
                    .build();
            assertThat(connection.post(request).get(20, TimeUnit.SECONDS).status())
                    .isEqualTo(200);
            assertThat(connection.post(request).get(20, TimeUnit.SECONDS).status())
                    .isEqualTo(200);
            assertThat(buffer.refCnt()).isEqualTo(1);
            assertThat(buffer.readableBytes()).isEqualTo(json.length);
            wireMock.verify(
                    2,
                    postRequestedFor(urlEqualTo("/3/device/ok"))
                            .withRequestBody(equalTo(new String(json, StandardCharsets.UTF_8))));
        } finally {
            buffer.release();
        }
    }

    @Test
    void unstubbedPathIsAnAnswerNotAFailure() throws Exception {
        Response r = send("/3/device/" + TOKEN);
        assertThat(r.status()).isEqualTo(404);
        assertThat(connection.state()).isEqualTo(ConnectionState.ACTIVE);
        assertThat(connection.answeredCount()).isGreaterThanOrEqualTo(1);
    }
}
