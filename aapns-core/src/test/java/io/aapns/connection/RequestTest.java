package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.internal.ApnsHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void keepsPathHeadersAndPayload() {
        byte[] bytes = "{\"aps\":{}}".getBytes(StandardCharsets.UTF_8);
        Request r = Request.builder("/3/device/abc")
                .header("APNS-Topic", "com.example")
                .header(ApnsHeaders.APNS_PRIORITY, "10")
                .payload(bytes)
                .build();
        bytes[0] = 'x'; // the request copied the array
        assertThat(r.path()).isEqualTo("/3/device/abc");
        assertThat(r.header("apns-topic")).contains("com.example");
        assertThat(r.header("APNS-PRIORITY")).contains("10");
        assertThat(r.headers())
                .containsExactly(
                        java.util.Map.entry("apns-topic", "com.example"), java.util.Map.entry("apns-priority", "10"));
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"aps\":{}}");
        assertThat(r.payloadLength()).isEqualTo(10);
    }

    @Test
    void laterHeaderReplacesEarlierOneWithTheSameName() {
        Request r = Request.builder("/p")
                .header("apns-id", "a")
                .header("Apns-Id", "b")
                .build();
        assertThat(r.headers()).containsOnlyKeys("apns-id").containsValue("b");
        assertThat(r.newBuilder().removeHeader("APNS-ID").build().headers()).isEmpty();
    }

    @Test
    void rejectsWhatHttp2CannotCarry() {
        assertThatThrownBy(() -> Request.builder("3/device")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.builder("/a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.builder("/p").header(":path", "/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a header name");
        assertThatThrownBy(() -> Request.builder("/p").header("bad name", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.builder("/p").header("x", "a\r\nb"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bufferPayloadIsNotOwnedByTheRequest() {
        ByteBuf buf = Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8);
        try {
            Request r = Request.builder("/p").payload(buf).build();
            assertThat(r.payloadLength()).isEqualTo(5);
            assertThat(r.payload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(buf.refCnt()).isEqualTo(1);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void deadlineFromTimeoutInstantOrNanos() {
        long now = System.nanoTime();
        long defaultNanos = TimeUnit.SECONDS.toNanos(30);
        assertThat(Request.builder("/p").build().deadlineNanos(now, defaultNanos))
                .isEqualTo(now + defaultNanos);
        assertThat(Request.builder("/p").timeout(Duration.ofMillis(5)).build().deadlineNanos(now, defaultNanos))
                .isEqualTo(now + TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(Request.builder("/p").deadlineNanos(now + 7).build().deadlineNanos(now, defaultNanos))
                .isEqualTo(now + 7);
        long fromInstant = Request.builder("/p")
                .deadline(Instant.now().plusSeconds(10))
                .build()
                .deadlineNanos(now, defaultNanos);
        assertThat(fromInstant - now).isBetween(TimeUnit.SECONDS.toNanos(9), TimeUnit.SECONDS.toNanos(11));
        Request r = Request.builder("/p")
                .timeout(Duration.ofSeconds(1))
                .deadline(Instant.EPOCH)
                .build();
        assertThat(r.timeout()).isEmpty();
        assertThat(r.deadline()).contains(Instant.EPOCH);
        assertThat(r.deadlineNanos(now, defaultNanos)).isLessThan(now);
    }

    @Test
    void hugeTimeoutDoesNotOverflow() {
        long now = System.nanoTime();
        long d = Request.builder("/p")
                .timeout(Duration.ofDays(365L * 1_000_000))
                .build()
                .deadlineNanos(now, 0);
        assertThat(d - now).isPositive();
    }

    @Test
    void withDeadlineNanosKeepsEverythingButTheDeadline() {
        Request r = Request.builder("/3/device/abcd")
                .header("apns-topic", "com.example")
                .payload("{\"a\":1}")
                .timeout(Duration.ofSeconds(5))
                .build();
        long now = System.nanoTime();

        Request copy = r.withDeadlineNanos(now + 42);

        assertThat(copy.deadlineNanos(now, 1)).isEqualTo(now + 42);
        assertThat(copy.timeout()).isEmpty();
        assertThat(copy.deadline()).isEmpty();
        assertThat(copy.path()).isEqualTo(r.path());
        assertThat(copy.headers()).isEqualTo(r.headers());
        assertThat(copy.payload()).isEqualTo(r.payload());
        assertThat(r.deadlineNanos(now, 1)).isEqualTo(now + TimeUnit.SECONDS.toNanos(5));
        assertThat(copy.withDeadlineNanos(now + 42)).isSameAs(copy);
        Request rebuilt = r.newBuilder().deadlineNanos(now + 42).build();
        assertThat(copy.deadlineNanos(now, 1)).isEqualTo(rebuilt.deadlineNanos(now, 1));
    }

    @Test
    void asciiPathIsKeptAsItIsAndHeadersKeepTheirOrder() {
        io.netty.util.AsciiString path = new io.netty.util.AsciiString("/3/device/abcd");
        Request r = Request.builder(path)
                .header("b", "1")
                .header("A", "2")
                .header("c", "3")
                .header("B", "4")
                .removeHeader("c")
                .build();
        assertThat((Object) r.pathAscii).isSameAs(path);
        assertThat(r.path()).isEqualTo("/3/device/abcd");
        assertThat(r.headers()).containsExactly(java.util.Map.entry("a", "2"), java.util.Map.entry("b", "4"));
        Request more = r.newBuilder()
                .header("d", "5")
                .header("e", "6")
                .header("f", "7")
                .header("g", "8")
                .header("h", "9")
                .header("i", "10")
                .header("j", "11")
                .build();
        assertThat(more.headers()).hasSize(9).containsEntry("j", "11");
        assertThat(r.headers()).hasSize(2);
        assertThatThrownBy(() -> Request.builder(new io.netty.util.AsciiString("3/device")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must begin with '/'");
        assertThatThrownBy(() -> Request.builder("")).isInstanceOf(IllegalArgumentException.class);
        // the byte-wise checks for AsciiStrings refuse what the character-wise ones refuse
        assertThatThrownBy(() -> Request.builder(new io.netty.util.AsciiString("/3/device/a b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> Request.builder("/x").header(new io.netty.util.AsciiString("apns:id"), "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a header name");
        assertThatThrownBy(() -> Request.builder("/x").header("apns-id", new io.netty.util.AsciiString("a\nb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visible ASCII");
        assertThatThrownBy(() -> Request.builder("/x").header("apns-\u0101", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a header name");
        assertThatThrownBy(() -> Request.builder("/x").header("apns-id", "a\u0100b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+0100 at index 1");
    }

    @Test
    void aBuilderUsedAgainAfterBuildLeavesEarlierRequestsAlone() {
        Request.Builder b = Request.builder("/3/device/abcd").header("x", "1");
        Request first = b.build();
        Request second = b.header("y", "2").build();
        Request third = b.removeHeader("x").build();
        Request fourth = b.header("a", "3")
                .header("b", "4")
                .header("c", "5")
                .header("d", "6")
                .build();
        b.header("y", "changed");

        assertThat(first.headers()).containsExactly(java.util.Map.entry("x", "1"));
        assertThat(second.headers()).containsExactly(java.util.Map.entry("x", "1"), java.util.Map.entry("y", "2"));
        assertThat(third.headers()).containsExactly(java.util.Map.entry("y", "2"));
        assertThat(fourth.headers())
                .containsExactly(
                        java.util.Map.entry("y", "2"),
                        java.util.Map.entry("a", "3"),
                        java.util.Map.entry("b", "4"),
                        java.util.Map.entry("c", "5"),
                        java.util.Map.entry("d", "6"));
        assertThat(b.build().header("y")).contains("changed");
        assertThat(fourth.toString()).contains("5 headers");
    }

    @Test
    void headerValuesMustBeVisibleAsciiAndSayWhereTheyAreNot() {
        assertThatThrownBy(() -> Request.builder("/p").header("apns-collapse-id", "a\tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header apns-collapse-id must be visible ASCII (0x21-0x7e, spaces only inside):"
                        + " found U+0009 at index 1");
        assertThatThrownBy(() -> Request.builder("/p").header("apns-collapse-id", "ab\u0001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+0001 at index 2");
        // one Latin-1 byte on the wire, two UTF-8 bytes by APNs' count: refused, not converted
        assertThatThrownBy(() -> Request.builder("/p").header("apns-collapse-id", "caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apns-collapse-id")
                .hasMessageContaining("found U+00E9 at index 3");
        assertThatThrownBy(() -> Request.builder("/p").header("x-trace", "a\u007fb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+007F at index 1");
        assertThatThrownBy(() -> Request.builder("/p").header("apns-topic", " com.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header apns-topic must not begin or end with a space: ' com.example'");
        assertThatThrownBy(() -> Request.builder("/p").header("apns-topic", "com.example "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not begin or end with a space");
        // inside a value a space is plain HTTP (an authorization header has one), and an empty value is too
        Request r = Request.builder("/p")
                .header("authorization", "bearer abc")
                .header("x-empty", "")
                .build();
        assertThat(r.headers()).containsEntry("authorization", "bearer abc").containsEntry("x-empty", "");
    }

    @Test
    void asciiStringHeaderValuesAreCheckedByteByByteTheSameWay() {
        AsciiString latin1 = new AsciiString(new byte[] {'c', 'a', 'f', (byte) 0xe9}, false);
        assertThatThrownBy(() -> Request.builder("/p").header(ApnsHeaders.APNS_COLLAPSE_ID, latin1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("header apns-collapse-id must be visible ASCII (0x21-0x7e, spaces only inside):"
                        + " found U+00E9 at index 3");
        // a value that is a slice of a larger array is checked from its own offset
        AsciiString slice = new AsciiString(new byte[] {'\t', 'o', 'k', '\t'}, 1, 2, false);
        assertThat(Request.builder("/p").header("x", slice).build().header("x")).contains("ok");
        assertThatThrownBy(() -> Request.builder("/p").header("x", new AsciiString("a\tb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+0009 at index 1");
        assertThatThrownBy(() -> Request.builder("/p").header("x", new AsciiString(" a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not begin or end with a space");
        assertThatThrownBy(() -> Request.builder("/p").header("x", new AsciiString("a ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not begin or end with a space");
        assertThat(Request.builder("/p")
                        .header("x", new AsciiString("a b"))
                        .build()
                        .header("x"))
                .contains("a b");
        assertThat(Request.builder("/p")
                        .header("x", AsciiString.EMPTY_STRING)
                        .build()
                        .header("x"))
                .contains("");
    }
}
