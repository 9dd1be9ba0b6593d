package io.aapns.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NotificationEncoderTest {

    private final Notification notification = Notification.builder()
            .alert(Alert.builder().title("Hi").body("there").build())
            .badge(3)
            .customKey("id", 42)
            .build();
    private final String expected = "{\"aps\":{\"alert\":{\"title\":\"Hi\",\"body\":\"there\"},\"badge\":3},\"id\":42}";

    @Test
    void encodesIntoAPooledBufferAtItsWriterIndex() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(16);
        try {
            buffer.writeByte('#');
            int written = NotificationEncoder.encode(notification, buffer);

            assertThat(written).isEqualTo(expected.length());
            assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo("#" + expected);
        } finally {
            buffer.release();
        }
    }

    @Test
    void writesTheCachedPayloadIntoABuffer() {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            notification.writePayloadTo(buffer);

            assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        } finally {
            buffer.release();
        }
    }

    @Test
    void rawPayloadIntoABuffer() {
        Notification raw = Notification.ofJson("{\"mdm\":\"magic\"}");
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer();
        try {
            assertThat(NotificationEncoder.encode(raw, buffer)).isEqualTo(15);
            assertThat(buffer.toString(StandardCharsets.UTF_8)).isEqualTo("{\"mdm\":\"magic\"}");
        } finally {
            buffer.release();
        }
    }

    @Test
    void encodesToAStreamAndToBytesAlike() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NotificationEncoder.encode(notification, out);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(new String(NotificationEncoder.encode(notification), StandardCharsets.UTF_8))
                .isEqualTo(expected);
    }
}
