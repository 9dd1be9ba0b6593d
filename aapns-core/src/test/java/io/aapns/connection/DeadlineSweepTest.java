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

/** A connection's one deadline timer, on virtual time (a MockTicker). */
class DeadlineSweepTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel loop =
            EmbeddedChannel.builder().ticker(ticker).build();
    private final List<Exchange> inFlight = new ArrayList<>();
    private final List<Exchange> expired = new ArrayList<>();

    private final DeadlineSweep.Peer peer = new DeadlineSweep.Peer() {
        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public List<Exchange> activeExchanges() {
            return new ArrayList<>(inFlight);
        }

        @Override
        public void onDeadline(Exchange e) {
            expired.add(e);
            inFlight.remove(e);
            e.end(null, new IllegalStateException("deadline"));
        }
    };

    private final DeadlineSweep sweep = new DeadlineSweep(peer, ticker::nanoTime);

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    private Exchange onTheWire(long deadlineMillis) {
        long now = ticker.nanoTime();
        Exchange e = new Exchange(
                null,
                Request.builder("/3/device/ab").build(),
                (r, f) -> {},
                null,
                now,
                now + TimeUnit.MILLISECONDS.toNanos(deadlineMillis));
        inFlight.add(e);
        sweep.watch(loop.eventLoop(), e.deadlineNanos, now);
        return e;
    }

    private void advanceMillis(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void eachRequestEndsAtItsOwnDeadlineInDeadlineOrder() {
        Exchange late = onTheWire(4_000);
        Exchange early = onTheWire(300);
        Exchange middle = onTheWire(1_200);

        advanceMillis(299);
        assertThat(expired).isEmpty();
        advanceMillis(1);
        assertThat(expired).containsExactly(early);
        advanceMillis(899);
        assertThat(expired).containsExactly(early);
        advanceMillis(1);
        assertThat(expired).containsExactly(early, middle);
        advanceMillis(2_800);
        assertThat(expired).containsExactly(early, middle, late);
    }

    @Test
    void aRequestThatIsAnsweredCostsNothingAtItsDeadline() {
        Exchange answered = onTheWire(100);
        Exchange waiting = onTheWire(200);
        answered.end(null, null); // answered in time
        inFlight.remove(answered);

        advanceMillis(150);
        assertThat(expired).isEmpty();
        advanceMillis(50);
        assertThat(expired).containsExactly(waiting);
    }

    @Test
    void aStoppedSweepEndsNothing() {
        onTheWire(100);
        sweep.stop();

        advanceMillis(1_000);

        assertThat(expired).isEmpty();
    }
}
