package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.internal.ApnsHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the HPACK encoder makes of the connection's request header blocks. */
class HeaderBlockTest {

    private static final AsciiString TOKEN = new AsciiString("bearer " + "x".repeat(200));

    /** Sizes of the header blocks of {@code count} requests to different devices, in order. */
    private static List<Integer> blockSizes(Http2HeadersEncoder.SensitivityDetector detector, int count)
            throws Exception {
        DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(detector);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String device = String.format("%064x", i);
            ByteBuf out = Unpooled.buffer();
            try {
                encoder.encodeHeaders(
                        2 * i + 1,
                        ReadOnlyHttp2Headers.clientHeaders(
                                false,
                                new AsciiString("POST"),
                                new AsciiString("/3/device/" + device),
                                new AsciiString("https"),
                                new AsciiString("api.push.apple.com"),
                                ApnsHeaders.APNS_TOPIC,
                                new AsciiString("com.example.app"),
                                ApnsHeaders.APNS_PUSH_TYPE,
                                new AsciiString("alert"),
                                ApnsHeaders.APNS_ID,
                                new AsciiString(UUID.randomUUID().toString()),
                                ApnsHeaders.AUTHORIZATION,
                                TOKEN),
                        out);
                sizes.add(out.readableBytes());
            } finally {
                out.release();
            }
        }
        return sizes;
    }

    @Test
    void perRequestValuesStayOutOfTheTableSoTheStableOnesStayIndexed() throws Exception {
        List<Integer> sizes = blockSizes(RequestWriter.PER_REQUEST_VALUES, 100);
        // after the first request, topic, push type, authority and the token are table indexes:
        // every block is the same size, the literals of the path and the apns-id plus a few bytes
        assertThat(sizes.subList(1, sizes.size())).containsOnly(sizes.get(1));
        assertThat(sizes.get(1)).isLessThan(sizes.get(0) - TOKEN.length());

        // indexing everything (Netty's default) pushes the 200-byte token out again and again
        List<Integer> indexed = blockSizes(Http2HeadersEncoder.NEVER_SENSITIVE, 100);
        assertThat(indexed.subList(1, indexed.size())).anyMatch(size -> size > TOKEN.length());
        assertThat(indexed.stream().mapToInt(Integer::intValue).sum())
                .isGreaterThan(sizes.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void perRequestHeaders() {
        assertThat(RequestWriter.isPerRequest(":path")).isTrue();
        assertThat(RequestWriter.isPerRequest(ApnsHeaders.APNS_ID)).isTrue();
        assertThat(RequestWriter.isPerRequest("apns-expiration")).isTrue();
        assertThat(RequestWriter.isPerRequest("apns-collapse-id")).isTrue();
        assertThat(RequestWriter.isPerRequest(ApnsHeaders.APNS_TOPIC)).isFalse();
        assertThat(RequestWriter.isPerRequest(ApnsHeaders.AUTHORIZATION)).isFalse();
        assertThat(RequestWriter.isPerRequest(":authority")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theSizeCheckedBeforeWritingIsTheSizeOfTheBlockAsTheServerCountsIt() {
        RequestWriter writer = new RequestWriter(new io.netty.util.AsciiString("api.push.apple.com:443"), null);
        Request request = Request.builder("/3/device/" + "ab".repeat(32))
                .header("apns-topic", "com.example.app")
                .header("apns-push-type", "alert")
                .header("apns-id", "0b9c6c4e-5f14-4fc9-9a5c-2a2d3c6b1f0e")
                .payload("{}")
                .build();
        Exchange e = new Exchange(null, request, (r, f) -> {}, null, 0, 0);

        io.netty.handler.codec.http2.Http2Headers headers = writer.headers(e);

        long counted = 0;
        for (var entry : headers) {
            counted += entry.getKey().length() + entry.getValue().length() + 32;
        }
        assertThat(e.headerListSize).isEqualTo(counted);
    }
}
