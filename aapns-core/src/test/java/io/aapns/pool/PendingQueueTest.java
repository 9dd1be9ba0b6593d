package io.aapns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.connection.Request;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue of waiting requests and its deadline sweep, on virtual time (a MockTicker). */
class PendingQueueTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel loop =
            EmbeddedChannel.builder().ticker(ticker).build();
    private final List<PendingRequest> expired = new ArrayList<>();

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    private PendingRequest request(long deadlineInMillis) {
        long now = ticker.nanoTime();
        return new PendingRequest(
                null,
                Request.builder("/3/device/ab").build(),
                (r, f) -> {},
                now,
                now + TimeUnit.MILLISECONDS.toNanos(deadlineInMillis));
    }

    private void advanceMillis(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        loop.runScheduledPendingTasks();
    }

    @Test
    void eachQueuedRequestFailsAtItsOwnDeadlineWhateverTheOrder() {
        PendingQueue queue = new PendingQueue(100, loop.eventLoop(), ticker::nanoTime, expired::add);
        PendingRequest late = request(200);
        PendingRequest early = request(50);
        PendingRequest middle = request(100);
        queue.offer(late, false);
        queue.offer(early, false);
        queue.offer(middle, false);

        advanceMillis(49);
        assertThat(expired).isEmpty();
        advanceMillis(1);
        assertThat(expired).containsExactly(early);
        advanceMillis(49);
        assertThat(expired).containsExactly(early);
        advanceMillis(1);
        assertThat(expired).containsExactly(early, middle);
        advanceMillis(100);
        assertThat(expired).containsExactly(early, middle, late);
        assertThat(queue.size()).isZero();
    }

    @Test
    void aSweepWalksAtMostOncePerSlackEvenWhenDeadlinesAreSpreadFinely() {
        PendingQueue queue = new PendingQueue(10_000, loop.eventLoop(), ticker::nanoTime, expired::add);
        for (int i = 0; i < 1000; i++) {
            queue.offer(request(100 + i), false); // one deadline per millisecond for a second
        }
        advanceMillis(100);
        long walks = queue.walks();
        for (int ms = 0; ms < 1000; ms++) {
            advanceMillis(1);
        }
        // one walk per 10 ms of slack, not one per deadline
        assertThat(queue.walks() - walks).isBetween(90L, 110L);
        assertThat(expired).hasSize(1000);
    }

    @Test
    void aNewEarliestDeadlineIsSweptAtItsTimeNotAtTheSlack() {
        PendingQueue queue = new PendingQueue(100, loop.eventLoop(), ticker::nanoTime, expired::add);
        queue.offer(request(1000), false);
        advanceMillis(1);
        PendingRequest soon = request(5);
        queue.offer(soon, false);

        advanceMillis(5);

        assertThat(expired).containsExactly(soon);
    }

    @Test
    void fullRefusesNewRequestsButNeverResends() {
        PendingQueue queue = new PendingQueue(2, loop.eventLoop(), ticker::nanoTime, expired::add);
        assertThat(queue.offer(request(1000), false)).isEqualTo(PendingQueue.Refusal.NONE);
        assertThat(queue.offer(request(1000), false)).isEqualTo(PendingQueue.Refusal.NONE);
        assertThat(queue.offer(request(1000), false)).isEqualTo(PendingQueue.Refusal.FULL);
        PendingRequest resend = request(1000);
        assertThat(queue.offer(resend, true)).isEqualTo(PendingQueue.Refusal.NONE);
        // re-sends go first
        assertThat(queue.poll()).isSameAs(resend);
        assertThat(queue.size()).isEqualTo(2);
    }

    @Test
    void requestsQueuedAgainFromTheirExpiryDoNotMultiplyTheSweeps() {
        List<PendingQueue> holder = new ArrayList<>();
        int[] expiries = {0};
        PendingQueue queue = new PendingQueue(10_000, loop.eventLoop(), ticker::nanoTime, p -> {
            expiries[0]++;
            holder.get(0).offer(request(300), false); // each expiry queues a new request, from the sweep itself
        });
        holder.add(queue);
        for (int i = 0; i < 20; i++) {
            queue.offer(request(300 + 15 * i), false);
        }

        for (int ms = 0; ms < 3_000; ms++) {
            advanceMillis(1);
        }

        // the sweeps keep one rhythm (at most one walk per 10 ms), not one chain per lowering
        assertThat(expiries[0]).isGreaterThan(100);
        assertThat(queue.walks()).isLessThanOrEqualTo(3_000 / 10 + 1);
        assertThat(queue.size()).isEqualTo(20);
    }
}
