package io.aapns.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApnsRejectedExceptionTest {

    @Test
    void carriesStatusReasonRawTextTimestampAndApnsId() {
        Instant since = Instant.ofEpochMilli(1_700_000_000_123L);
        ApnsRejectedException e =
                new ApnsRejectedException(410, "Unregistered", since, "8b1c4a3e-2f6d-4c1a-9e6f-0c7b2d5a1e90");

        assertThat(e).isInstanceOf(ApnsException.class).isInstanceOf(RuntimeException.class);
        assertThat(e.status()).isEqualTo(410);
        assertThat(e.reason()).isEqualTo(Reason.UNREGISTERED);
        assertThat(e.reasonText()).isEqualTo("Unregistered");
        assertThat(e.timestamp()).contains(since);
        assertThat(e.apnsId()).isEqualTo("8b1c4a3e-2f6d-4c1a-9e6f-0c7b2d5a1e90");
        assertThat(e.retryAdvice()).isEqualTo(RetryAdvice.NEVER);
        assertThat(e.getMessage())
                .contains("410", "Unregistered", since.toString(), "8b1c4a3e-2f6d-4c1a-9e6f-0c7b2d5a1e90");
    }

    @Test
    void keepsTheRawTextOfAnUnknownReason() {
        ApnsRejectedException e = new ApnsRejectedException(503, "BrandNewReason");

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(e.reasonText()).isEqualTo("BrandNewReason");
        assertThat(e.timestamp()).isEmpty();
        assertThat(e.retryAdvice()).isEqualTo(RetryAdvice.AFTER_BACKOFF);
        assertThat(e.getMessage()).contains("503 BrandNewReason");
    }

    @Test
    void aMissingReasonSaysSo() {
        ApnsRejectedException e = new ApnsRejectedException(400, null);

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN);
        assertThat(e.reasonText()).isNull();
        assertThat(e.getMessage()).contains("400 (no reason)");
    }
}
