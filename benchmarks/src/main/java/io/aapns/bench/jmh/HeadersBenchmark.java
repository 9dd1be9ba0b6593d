package io.aapns.bench.jmh;

import io.aapns.connection.Request;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request header building: the {@link Request} that {@code ApnsClient.send} builds (path and apns-* headers), the
 * Pool's copy of it with an absolute deadline, and the HTTP/2 header block the connection makes from it (pseudo headers
 * plus the request's, as {@code ConnectionHandler} does), and the apns-id a send makes when the caller gives none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadersBenchmark {
    private static final AsciiString APNS_TOPIC = AsciiString.cached("apns-topic");
    private static final AsciiString APNS_PUSH_TYPE = AsciiString.cached("apns-push-type");
    private static final AsciiString APNS_ID = AsciiString.cached("apns-id");
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString AUTHORITY = new AsciiString("api.push.apple.com");
    static final String TOKEN = "5b1a0c0e7f3d4c2b8a9e6f1d0c3b2a198f7e6d5c4b3a29180f1e2d3c4b5a6978";
    static final byte[] PAYLOAD = "{\"aps\":{\"alert\":\"hi\"}}".getBytes();
    private static final String FIXED_ID = UUID.randomUUID().toString();

    private final Request built = buildRequest(FIXED_ID);

    static Request buildRequest(String apnsId) {
        return Request.builder("/3/device/" + TOKEN)
                .header(APNS_TOPIC, "com.example.app")
                .header(APNS_PUSH_TYPE, "alert")
                .header(APNS_ID, apnsId)
                .payload(PAYLOAD)
                .build();
    }

    @Benchmark
    public Request requestAsApnsClientBuildsIt() {
        return buildRequest(FIXED_ID);
    }

    @Benchmark
    public Request poolCopyWithDeadline() {
        return built.newBuilder()
                .deadlineNanos(System.nanoTime() + 1_000_000_000L)
                .build();
    }

    // the request's header names and values as the connection holds them (AsciiStrings)
    private final AsciiString path = new AsciiString(built.path());
    private final AsciiString[] names =
            built.headers().keySet().stream().map(AsciiString::new).toArray(AsciiString[]::new);
    private final AsciiString[] values =
            built.headers().values().stream().map(AsciiString::new).toArray(AsciiString[]::new);

    /** What the connection does per request: a read-only block over one array of names and values. */
    @Benchmark
    public Http2Headers http2HeaderBlock() {
        AsciiString[] others = new AsciiString[2 * names.length];
        for (int i = 0; i < names.length; i++) {
            others[2 * i] = names[i];
            others[2 * i + 1] = values[i];
        }
        return ReadOnlyHttp2Headers.clientHeaders(false, POST, path, HTTPS, AUTHORITY, others);
    }

    /** What the connection did before: Netty's hashed {@code DefaultHttp2Headers}. */
    @Benchmark
    public Http2Headers defaultHttp2HeaderBlock() {
        Http2Headers headers = new DefaultHttp2Headers(false, names.length + 4)
                .method(POST)
                .scheme(HTTPS)
                .authority(AUTHORITY)
                .path(path);
        for (int i = 0; i < names.length; i++) {
            headers.add(names[i], values[i]);
        }
        return headers;
    }

    @Benchmark
    public String randomApnsId() {
        return UUID.randomUUID().toString();
    }
}
