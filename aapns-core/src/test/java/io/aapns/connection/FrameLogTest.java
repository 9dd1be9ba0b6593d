package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class FrameLogTest {

    @Test
    void theAuthorizationHeaderIsNeverLogged() {
        Http2Headers headers = new DefaultHttp2Headers()
                .method("POST")
                .path("/3/device/abcd")
                .add("apns-topic", "com.example.app")
                .add("authorization", "bearer eyJhbGciOiJFUzI1NiJ9.secret.signature");
        Http2Headers logged = FrameLog.redact(headers);
        assertThat(logged.toString()).doesNotContain("eyJ").doesNotContain("secret");
        assertThat(logged.get("authorization")).hasToString("<redacted>");
        assertThat(logged.get("apns-topic")).hasToString("com.example.app");
        assertThat(logged.path()).hasToString("/3/device/abcd");
        assertThat(logged.size()).isEqualTo(headers.size());
        // the headers that go on the wire are not touched
        assertThat(headers.get("authorization")).hasToString("bearer eyJhbGciOiJFUzI1NiJ9.secret.signature");
    }

    @Test
    void headersWithoutAuthorizationAreLoggedAsTheyAre() {
        Http2Headers answer = new DefaultHttp2Headers().status("200").add("apns-id", "x");
        assertThat(FrameLog.redact(answer)).isSameAs(answer);
    }

    @Test
    void frameLoggingIsOffByDefaultAndCopied() {
        assertThat(ConnectionOptions.defaults().frameLogging()).isFalse();
        ConnectionOptions on = ConnectionOptions.builder().frameLogging(true).build();
        assertThat(on.frameLogging()).isTrue();
        assertThat(on.newBuilder().build().frameLogging()).isTrue();
    }
}
