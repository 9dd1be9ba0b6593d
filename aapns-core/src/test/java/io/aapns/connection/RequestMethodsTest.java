package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SslContexts;
import io.aapns.internal.ApnsHeaders;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.RecordedRequest;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** GET, DELETE and body-less requests beside POST, and the answer headers of broadcast and channel calls. */
class RequestMethodsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.requireClientCertificate(true));

    @TempDir
    Path dir;

    private Connection connection;

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
            connection.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Connection connect() throws Exception {
        MockClientCertificate cert = apns.server().issueClientCertificate(MockServerConnectionTest.TOPIC);
        ConnectionOptions options = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .clientCertificate(ClientCertificate.fromPkcs12(
                                cert.writePkcs12(dir.resolve("c.p12"), "pw".toCharArray()), "pw".toCharArray()))
                        .trustedCertificates(List.of(apns.server().caCertificate()))
                        .build())
                .build();
        connection = Connection.connect(apns.server().uri(), options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return connection;
    }

    @Test
    void postIsTheDefaultAndGetAndDeleteAreBodyLess() {
        assertThat(Request.builder("/3/device/ab").build().method()).isEqualTo("POST");
        Request get = Request.get("/1/apps/com.example.app/all-channels").build();
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.hasPayload()).isFalse();
        assertThat(get.toString()).startsWith("Request{GET /1/apps/com.example.app/all-channels");
        assertThat(Request.delete("/1/apps/x/channels").build().method()).isEqualTo("DELETE");
        assertThat(Request.builder("/x").method("get").build().method()).isEqualTo("GET");
    }

    @Test
    void theMethodSurvivesCopies() {
        Request delete = Request.delete("/1/apps/x/channels")
                .header(ApnsHeaders.APNS_CHANNEL_ID, "dHN0LXNyY2gtY2hubA==")
                .build();
        assertThat(delete.withDeadlineNanos(42).method()).isEqualTo("DELETE");
        assertThat(delete.newBuilder().build().method()).isEqualTo("DELETE");
        assertThat(delete.newBuilder()
                        .method(Request.POST)
                        .payload("{}")
                        .build()
                        .method())
                .isEqualTo("POST");
    }

    @Test
    void otherMethodsAndBodiesOnGetOrDeleteAreRefused() {
        assertThatThrownBy(() -> Request.builder("/x").method("PUT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POST, GET or DELETE")
                .hasMessageContaining("'PUT'");
        assertThatThrownBy(() -> Request.get("/x").payload("{}").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GET request carries no payload");
        assertThatThrownBy(() -> Request.delete("/x")
                        .payload(Unpooled.wrappedBuffer(new byte[] {1}))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Request.get("/x").payload("{}").noPayload().build().hasPayload())
                .isFalse();
    }

    @Test
    void getAndDeleteGoOnTheWireWithoutABody() throws Exception {
        Connection c = connect();
        String path = "/3/device/" + MockServerConnectionTest.TOKEN;

        Response get = c.post(Request.get(path).timeout(WAIT).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Response delete = c.post(Request.delete(path).timeout(WAIT).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Response post = c.post(MockServerConnectionTest.push().build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        // the device API serves POST only: the answers show the methods arrived as sent
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.reason()).contains("MethodNotAllowed");
        assertThat(delete.status()).isEqualTo(405);
        assertThat(post.status()).isEqualTo(200);
        List<RecordedRequest> recorded = apns.server().requests();
        assertThat(recorded).extracting(RecordedRequest::method).containsExactly("GET", "DELETE", "POST");
        assertThat(recorded.get(0).payload()).isEmpty();
        assertThat(recorded.get(1).payload()).isEmpty();
        assertThat(post.apnsRequestId()).isEmpty();
        assertThat(post.apnsChannelId()).isEmpty();
    }

    @Test
    void broadcastAndChannelAnswerHeaders() {
        Response r = Response.of(
                201,
                Map.of(
                        "apns-request-id", List.of("4c0a4ab7-3ad9-4a0c-9a7e-ea0b3a1e2f10"),
                        "APNS-Channel-Id", List.of("dHN0LXNyY2gtY2hubA=="),
                        "apns-unique-id", List.of("u-1")),
                "".getBytes(StandardCharsets.UTF_8));
        assertThat(r.apnsRequestId()).contains("4c0a4ab7-3ad9-4a0c-9a7e-ea0b3a1e2f10");
        assertThat(r.apnsChannelId()).contains("dHN0LXNyY2gtY2hubA==");
        assertThat(r.apnsUniqueId()).contains("u-1");
        assertThat(r.is2xx()).isTrue();
        assertThat(r.isSuccessful()).isFalse(); // 200 only, as for a push
        assertThat(Response.of(204, Map.of(), null).is2xx()).isTrue();
        assertThat(Response.of(400, Map.of(), null).is2xx()).isFalse();
    }
}
