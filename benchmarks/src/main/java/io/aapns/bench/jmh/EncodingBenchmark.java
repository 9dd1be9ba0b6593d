package io.aapns.bench.jmh;

import io.aapns.model.Alert;
import io.aapns.model.Notification;
import io.aapns.model.NotificationEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * Payload encoding of a typical alert (title, body, badge, sound, one custom key: about 120 bytes of JSON): into a
 * fresh array, and straight into a pooled direct buffer as the engine can. A notification built anew each time, so the
 * encoder's caching of a built notification's payload does not hide the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodingBenchmark {

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    static Notification typicalAlert() {
        return Notification.builder()
                .alert(Alert.builder()
                        .title("Game request")
                        .body("Bob wants to play poker")
                        .build())
                .badge(5)
                .sound("default")
                .customKey("game-id", "42")
                .build();
    }

    @Benchmark
    public byte[] encodeToArray() {
        return NotificationEncoder.encode(typicalAlert());
    }

    @Benchmark
    public int encodeToPooledBuffer() {
        ByteBuf buf = alloc.ioBuffer(256);
        try {
            return NotificationEncoder.encode(typicalAlert(), buf);
        } finally {
            buf.release();
        }
    }

    /** The cost of building the notification alone, to subtract from the two above. */
    @Benchmark
    public Notification buildOnly() {
        return typicalAlert();
    }
}
