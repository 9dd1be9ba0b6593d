package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoAwayReasonTest {

    private static String parse(String debugData) {
        ByteBuf buf = Unpooled.copiedBuffer(debugData, StandardCharsets.UTF_8);
        try {
            return Frames.parseGoAwayReason(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void jsonReasonIsExtracted() {
        assertThat(parse("{\"reason\":\"BadCertificateEnvironment\"}")).isEqualTo("BadCertificateEnvironment");
    }

    @Test
    void otherDebugDataIsKeptAsText() {
        assertThat(parse("  going away for maintenance \n")).isEqualTo("going away for maintenance");
        assertThat(parse("{\"no\":\"reason\"}")).isEqualTo("{\"no\":\"reason\"}");
        assertThat(parse("x".repeat(500))).hasSize(200);
    }

    @Test
    void emptyDebugDataIsNoReason() {
        assertThat(parse("")).isNull();
        assertThat(parse("   ")).isNull();
        assertThat(Frames.parseGoAwayReason(null)).isNull();
    }
}
