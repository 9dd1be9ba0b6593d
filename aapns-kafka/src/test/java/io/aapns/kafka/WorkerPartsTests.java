package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.api.SendOptions;
import io.aapns.model.Notification;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The worker's parts on their own: apns-id derivation, per-key order, the in-flight gate, flow control. */
class WorkerPartsTests {

    static final PushRequest PLAIN = PushRequest.builder(
                    PushRequestCodecTests.TOKEN,
                    Notification.builder().alert("x").build())
            .build();

    @Test
    void theApnsIdIsTheSameForTheSameRecordAndDiffersBetweenRecords() {
        UUID once = ApnsIds.derive(PLAIN, "requests", 2, 41);
        assertThat(ApnsIds.derive(PLAIN, "requests", 2, 41)).isEqualTo(once);
        assertThat(ApnsIds.derive(PLAIN, "requests", 2, 42)).isNotEqualTo(once);
        assertThat(ApnsIds.derive(PLAIN, "requests", 3, 41)).isNotEqualTo(once);

        PushRequest keyed = PLAIN.toBuilder().idempotencyKey("k-1").build();
        assertThat(ApnsIds.derive(keyed, "requests", 0, 1)).isEqualTo(ApnsIds.derive(keyed, "other", 5, 99));

        UUID given = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        PushRequest withId = keyed.toBuilder()
                .options(SendOptions.builder().apnsId(given).build())
                .build();
        assertThat(ApnsIds.derive(withId, "requests", 0, 1)).isEqualTo(given);
    }

    @Test
    void eachConsumerPollsItsShareOfMaxInFlightSoThatTogetherTheyCanReachIt() {
        int[][] table = {
            // max-in-flight, consumer threads, max.poll.records
            {1000, 1, 1000},
            {1000, 2, 500},
            {1000, 3, 334},
            {50, 1, 50},
            {5000, 6, 834},
            {2, 6, 1},
            {1, 1, 1},
        };
        for (int[] row : table) {
            assertThat(ApnsKafkaWorker.recordsPerPoll(row[0], row[1]))
                    .as("max-in-flight %d over %d consumers", row[0], row[1])
                    .isEqualTo(row[2]);
        }
    }

    @Test
    void oneKeyRunsOneTaskAtATimeInOrderAndOtherKeysAtOnce() {
        KeySequencer sequencer = new KeySequencer();
        List<String> ran = new ArrayList<>();
        sequencer.submit("a", () -> ran.add("a1"));
        sequencer.submit("a", () -> ran.add("a2"));
        sequencer.submit("b", () -> ran.add("b1"));
        sequencer.submit("a", () -> ran.add("a3"));
        assertThat(ran).containsExactly("a1", "b1");
        sequencer.done("a");
        assertThat(ran).containsExactly("a1", "b1", "a2");
        sequencer.done("a");
        sequencer.done("b");
        assertThat(ran).containsExactly("a1", "b1", "a2", "a3");
        sequencer.done("a");
        assertThat(sequencer.busyKeys()).isZero();
        assertThatThrownBy(() -> sequencer.done("a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theGateLetsMaxSendsOutAndTheNextOnesInOrderAsSendsEnd() {
        InFlightGate gate = new InFlightGate(2);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            gate.submit(() -> ran.add(n));
        }
        assertThat(ran).containsExactly(0, 1);
        gate.release();
        assertThat(ran).containsExactly(0, 1, 2);
        gate.release();
        gate.release();
        gate.release();
        gate.release();
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(gate.outstanding()).isZero();
        assertThat(gate.highest()).isEqualTo(2);
    }

    @Test
    void flowControlPausesAtTheHighWaterMarkAndResumesAtTheLowOne() throws Exception {
        List<String> valve = new ArrayList<>();
        FlowControl flow = new FlowControl(
                3,
                1,
                new FlowControl.Valve() {
                    @Override
                    public void pause() {
                        valve.add("pause");
                    }

                    @Override
                    public void resume() {
                        valve.add("resume");
                    }
                },
                Runnable::run);
        flow.hold();
        flow.hold();
        assertThat(valve).isEmpty();
        flow.hold();
        assertThat(valve).containsExactly("pause");
        flow.hold();
        flow.release();
        flow.release();
        assertThat(valve).containsExactly("pause");
        flow.release();
        assertThat(valve).containsExactly("pause", "resume");
        assertThat(flow.awaitIdle(0)).isFalse();
        flow.release();
        assertThat(flow.awaitIdle(0)).isTrue();
        assertThat(flow.pauses()).isEqualTo(1);
        assertThat(flow.resumes()).isEqualTo(1);
        assertThatThrownBy(() -> new FlowControl(3, 3, null, Runnable::run))
                .hasMessageContaining("the low-water mark must be from 0 to max-in-flight - 1 (2), got 3");
    }

    @Test
    void theRetryBackOffGrowsByTheMultiplierUpToItsMaximum() {
        ApnsKafkaProperties.Retry retry =
                new ApnsKafkaProperties.Retry(6, java.time.Duration.ofSeconds(1), 2.0, java.time.Duration.ofSeconds(5));
        long[][] table = {{2, 1000}, {3, 2000}, {4, 4000}, {5, 5000}, {6, 5000}};
        for (long[] row : table) {
            assertThat(retry.delayBefore((int) row[0]))
                    .as("before attempt %d", row[0])
                    .hasMillis(row[1]);
        }
    }

    @Test
    void withoutADefaultClientARequestMustNameOne() {
        NamedClients routes = new NamedClients(null, null);
        PushRequest unnamed = PushRequest.builder(
                        "0123456789abcdef".repeat(4),
                        Notification.builder().alert("x").build())
                .build();
        assertThatThrownBy(() -> routes.routeOf(unnamed))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("names no client")
                .hasMessageContaining("aapns.clients.<name>.primary");
    }
}
