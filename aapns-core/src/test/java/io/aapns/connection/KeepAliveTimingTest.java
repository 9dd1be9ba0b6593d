package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive's clock, on virtual time (a MockTicker): idle PINGs, the PING after an unanswered request, the timeout.
 */
class KeepAliveTimingTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel loop =
            EmbeddedChannel.builder().ticker(ticker).build();
    private final List<Long> pings = new ArrayList<>();
    private final List<Long> timeouts = new ArrayList<>();
    private boolean open = true;

    private final KeepAlive.Peer peer = new KeepAlive.Peer() {
        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void writePing(long data) {
            pings.add(data);
        }

        @Override
        public void onPingTimeout(long timeoutNanos) {
            timeouts.add(timeoutNanos);
            open = false;
        }
    };

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    private void advanceMillis(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
    }

    private KeepAlive keepAlive(long intervalMillis, long timeoutMillis) {
        KeepAlive k = new KeepAlive(
                peer, TimeUnit.MILLISECONDS.toNanos(intervalMillis), TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
        k.start(loop.eventLoop());
        return k;
    }

    @Test
    void pingsAfterTheIntervalWithoutAFrameAndNotBefore() {
        KeepAlive k = keepAlive(60_000, 5_000);

        advanceMillis(30_000);
        k.onRead(); // a frame: the idle time starts again
        advanceMillis(59_999);
        assertThat(pings).isEmpty();
        advanceMillis(1);
        assertThat(pings).hasSize(1);

        assertThat(k.onAck(pings.get(0))).isFalse(); // an idle PING does not make it unresponsive
        assertThat(k.acknowledged).isEqualTo(1);
        advanceMillis(10_000);
        assertThat(timeouts).isEmpty();
    }

    @Test
    void anUnansweredRequestPingsAtOnceAndTheAckMakesItUsableAgain() {
        KeepAlive k = keepAlive(60_000, 5_000);

        k.pingNow();

        assertThat(pings).hasSize(1);
        assertThat(k.unresponsive).isTrue();
        k.pingNow(); // one PING at a time
        assertThat(pings).hasSize(1);
        assertThat(k.onAck(pings.get(0) + 1)).isFalse(); // not ours
        assertThat(k.unresponsive).isTrue();
        assertThat(k.onAck(pings.get(0))).isTrue();
        assertThat(k.unresponsive).isFalse();
    }

    @Test
    void noAckWithinThePingTimeoutDeclaresTheConnectionDeadExactlyThen() {
        KeepAlive k = keepAlive(60_000, 5_000);

        k.pingNow();
        advanceMillis(4_999);
        assertThat(timeouts).isEmpty();
        advanceMillis(1);

        assertThat(timeouts).containsExactly(TimeUnit.MILLISECONDS.toNanos(5_000));
        assertThat(k.unresponsive).isTrue();
    }
}
