package io.aapns.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.connection.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffDoublesUpToTheCapWithoutJitter() {
        RetryPolicy policy = RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(1000))
                .jitter(0)
                .build();

        assertThat(policy.backoffNanos(1)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(policy.backoffNanos(2)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(policy.backoffNanos(4)).isEqualTo(Duration.ofMillis(800).toNanos());
        assertThat(policy.backoffNanos(5)).isEqualTo(Duration.ofMillis(1000).toNanos());
        assertThat(policy.backoffNanos(500)).isEqualTo(Duration.ofMillis(1000).toNanos());
    }

    @Test
    void jitterStaysWithinItsFraction() {
        RetryPolicy policy = RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(100))
                .jitter(0.5)
                .build();
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.backoffNanos(3))
                    .isBetween(
                            Duration.ofMillis(50).toNanos(),
                            Duration.ofMillis(100).toNanos());
        }
    }

    @Test
    void retriesApplesRetryableStatusesByDefault() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.retries(response(429, "TooManyRequests"))).isTrue();
        assertThat(policy.retries(response(500, "InternalServerError"))).isTrue();
        assertThat(policy.retries(response(503, "ServiceUnavailable"))).isTrue();
        assertThat(policy.retries(response(410, "Unregistered"))).isFalse();
        assertThat(policy.retries(response(400, "BadDeviceToken"))).isFalse();
        assertThat(policy.retries(response(200, null))).isFalse();
    }

    @Test
    void retriesChosenReasons() {
        RetryPolicy policy = RetryPolicy.builder()
                .retryStatuses(Set.of())
                .retryReasons(Set.of("Shutdown"))
                .build();
        assertThat(policy.retries(response(503, "Shutdown"))).isTrue();
        assertThat(policy.retries(response(503, "ServiceUnavailable"))).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder()
                        .initialBackoff(Duration.ofSeconds(2))
                        .maxBackoff(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Response response(int status, String reason) {
        byte[] body =
                reason == null ? new byte[0] : ("{\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        return Response.of(status, Map.of(), body);
    }
}
