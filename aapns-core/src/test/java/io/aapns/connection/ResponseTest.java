package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseTest {

    private static Response answer(int status, String body) {
        return Response.of(
                status,
                Map.of("apns-id", List.of("id-1"), "APNS-Unique-Id", List.of("u-1")),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptedAnswer() {
        Response r = answer(200, null);
        assertThat(r.isSuccessful()).isTrue();
        assertThat(r.apnsId()).contains("id-1");
        assertThat(r.apnsUniqueId()).contains("u-1");
        assertThat(r.body()).isEmpty();
        assertThat(r.reason()).isEmpty();
        assertThat(r.timestamp()).isEmpty();
    }

    @Test
    void reasonAndTimestamp() {
        Response r = answer(410, "{\"reason\":\"Unregistered\",\"timestamp\":1732000000000}");
        assertThat(r.isSuccessful()).isFalse();
        assertThat(r.reason()).contains("Unregistered");
        assertThat(r.timestamp()).contains(Instant.ofEpochMilli(1732000000000L));
        assertThat(r.toString()).contains("410").contains("Unregistered");
    }

    @Test
    void timestampAsStringIsAccepted() {
        assertThat(answer(410, "{\"reason\":\"ExpiredToken\",\"timestamp\":\"12\"}")
                        .timestamp())
                .contains(Instant.ofEpochMilli(12));
    }

    @Test
    void unknownReasonKeptAsText() {
        assertThat(answer(400, "{\"reason\":\"BrandNewReason\"}").reason()).contains("BrandNewReason");
    }

    @Test
    void nonJsonAndOddJsonBodiesYieldNoReason() {
        assertThat(answer(500, "Internal error").reason()).isEmpty();
        assertThat(answer(500, "Internal error").bodyText()).isEqualTo("Internal error");
        assertThat(answer(500, "[1,2]").reason()).isEmpty();
        assertThat(answer(500, "{\"reason\":42}").reason()).isEmpty();
        assertThat(answer(500, "{\"reason\":").reason()).isEmpty();
    }

    @Test
    void headersAreCaseInsensitiveAndImmutable() {
        Response r = answer(200, null);
        assertThat(r.header("APNS-ID")).contains("id-1");
        assertThat(r.headers()).containsKey("apns-unique-id");
        assertThatThrownBy(() -> r.headers().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Response.of(42, Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyIsCopied() {
        byte[] b = "{}".getBytes(StandardCharsets.UTF_8);
        Response r = Response.of(400, Map.of(), b);
        b[0] = 'x';
        r.body()[0] = 'y';
        assertThat(r.bodyText()).isEqualTo("{}");
    }

    @Test
    void answerFromAConnectionReadsItsHeaderBlockOnlyWhenAsked() {
        io.netty.handler.codec.http2.Http2Headers block = new io.netty.handler.codec.http2.DefaultHttp2Headers()
                .status("200")
                .add("apns-id", "id-7")
                .add("x-multi", "a")
                .add("apns-unique-id", "u-7")
                .add("x-multi", "b");
        Response r = Response.received(200, block, null);

        assertThat(r.apnsId()).contains("id-7");
        assertThat(r.apnsUniqueId()).contains("u-7");
        assertThat(r.header("APNS-ID")).contains("id-7");
        assertThat(r.header("x-multi")).contains("a");
        assertThat(r.header(":status")).as("pseudo-headers are not headers").isEmpty();
        assertThat(r.header("absent")).isEmpty();
        assertThat(r.headers())
                .containsExactly(
                        Map.entry("apns-id", List.of("id-7")),
                        Map.entry("x-multi", List.of("a", "b")),
                        Map.entry("apns-unique-id", List.of("u-7")));
        assertThat(r.headers()).isSameAs(r.headers());
        assertThatThrownBy(() -> r.headers().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.headers().get("x-multi").add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.body()).isEmpty();
    }
}
