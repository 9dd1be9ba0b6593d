package io.aapns.mock;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.Arrays;

/** A request whose headers arrived and whose body is still coming. */
final class PendingStream {
    final Http2Headers headers;
    byte[] body = new byte[0];
    int size;

    PendingStream(Http2Headers headers) {
        this.headers = headers;
    }

    void append(ByteBuf data) {
        int n = data.readableBytes();
        int keep = Math.min(n, Math.max(0, MockHttp2Handler.MAX_KEPT_BODY + 1 - size));
        if (keep > 0) {
            if (size + keep > body.length) {
                body = Arrays.copyOf(body, Math.max(size + keep, body.length * 2));
            }
            data.getBytes(data.readerIndex(), body, size, keep);
        }
        size += keep;
    }

    byte[] payload() {
        return size == body.length ? body : Arrays.copyOf(body, size);
    }
}
