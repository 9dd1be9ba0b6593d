package io.aapns.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.pool.DeliveryRules.Action;
import io.aapns.pool.DeliveryRules.Counter;
import io.aapns.pool.DeliveryRules.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks every row of the delivery table (DESIGN.md, docs/pool.md) and every delivery defect of the engine review
 * through {@link DeliveryRules#decide}: one row per case, no network.
 */
class DeliveryRulesTest {

    private static final long NOW = 1_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** No jitter, so back-offs are exact: 100 ms, 200 ms, 400 ms ... capped at 5 s. */
    private static final RetryPolicy POLICY = RetryPolicy.builder().jitter(0).build();

    private static final DeliveryRules RULES = new DeliveryRules(POLICY, 1);

    /** A request's history, as the rules read it. */
    record H(int statusRetries, int safeLosses, int unsafeRetries, boolean tokenRenewed, long deadlineNanos)
            implements DeliveryRules.History {
        static H fresh() {
            return new H(0, 0, 0, false, NOW + 10 * SECOND);
        }

        H unsafe(int n) {
            return new H(statusRetries, safeLosses, n, tokenRenewed, deadlineNanos);
        }

        H safe(int n) {
            return new H(statusRetries, n, unsafeRetries, tokenRenewed, deadlineNanos);
        }

        H status(int n) {
            return new H(n, safeLosses, unsafeRetries, tokenRenewed, deadlineNanos);
        }

        H renewed() {
            return new H(statusRetries, safeLosses, unsafeRetries, true, deadlineNanos);
        }

        H deadlineIn(long nanos) {
            return new H(statusRetries, safeLosses, unsafeRetries, tokenRenewed, NOW + nanos);
        }
    }

    static Response answer(int status, String reason) {
        byte[] body = reason == null ? null : ("{\"reason\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8);
        return Response.of(status, Map.of(), body);
    }

    static final ClosedException LOST_AFTER_END_STREAM =
            new ClosedException("the connection was lost; the server may have processed the request", false);
    static final ClosedException NOT_SENT_WHOLE =
            new ClosedException("the server reset stream 3 with CANCEL; the request was not sent whole", true);
    static final ClosedException REFUSED = new ClosedException("REFUSED_STREAM", true);
    static final ClosedException ABOVE_LAST_STREAM = new ClosedException("GOAWAY, stream above last", true);
    static final RequestTimeoutException ATTEMPT_TIMED_OUT_WRITTEN =
            new RequestTimeoutException("no answer before the deadline", true);
    static final RequestTimeoutException ATTEMPT_TIMED_OUT_UNWRITTEN =
            new RequestTimeoutException("the deadline passed before the request was sent", false);

    static Stream<Arguments> rows() {
        return Stream.of(
                // answers
                row("200 accepted", H.fresh(), answer(200, null), null, true, Action.COMPLETE, 0, Counter.NONE),
                row(
                        "410 Unregistered is a value",
                        H.fresh(),
                        answer(410, "Unregistered"),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "400 BadDeviceToken is never re-sent",
                        H.fresh(),
                        answer(400, "BadDeviceToken"),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "403 ExpiredProviderToken: once with a new token",
                        H.fresh(),
                        answer(403, "ExpiredProviderToken"),
                        null,
                        true,
                        Action.RESEND,
                        0,
                        Counter.TOKEN),
                row(
                        "403 ExpiredProviderToken twice: the answer stands",
                        H.fresh().renewed(),
                        answer(403, "ExpiredProviderToken"),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "429 TooManyProviderTokenUpdates: not re-sent with the rejected token",
                        H.fresh(),
                        answer(429, "TooManyProviderTokenUpdates"),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "429 TooManyRequests: back-off",
                        H.fresh(),
                        answer(429, "TooManyRequests"),
                        null,
                        true,
                        Action.RESEND,
                        ms(100),
                        Counter.STATUS),
                row(
                        "500: back-off grows",
                        H.fresh().status(2),
                        answer(500, "InternalServerError"),
                        null,
                        true,
                        Action.RESEND,
                        ms(400),
                        Counter.STATUS),
                row(
                        "503 with no body: back-off",
                        H.fresh(),
                        answer(503, null),
                        null,
                        true,
                        Action.RESEND,
                        ms(100),
                        Counter.STATUS),
                row(
                        "500 whose back-off passes the deadline: the answer stands",
                        H.fresh().deadlineIn(ms(50)),
                        answer(500, null),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "answered, then reset (the connection completes it): 200 stays accepted",
                        H.fresh(),
                        answer(200, null),
                        null,
                        true,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                row(
                        "an answer after the pool closed is still the answer",
                        H.fresh(),
                        answer(500, null),
                        null,
                        false,
                        Action.COMPLETE,
                        0,
                        Counter.NONE),
                // failures the server certainly did not process
                row(
                        "no free stream after all: back-off",
                        H.fresh(),
                        null,
                        new BlockedException(1),
                        true,
                        Action.RESEND,
                        ms(100),
                        Counter.BLOCKED),
                row("REFUSED_STREAM: at once", H.fresh(), null, REFUSED, true, Action.RESEND, 0, Counter.SAFE_LOSS),
                row(
                        "GOAWAY, above last-stream-id: at once",
                        H.fresh(),
                        null,
                        ABOVE_LAST_STREAM,
                        true,
                        Action.RESEND,
                        0,
                        Counter.SAFE_LOSS),
                row(
                        "reset before END_STREAM went out: safe, not a duplicate",
                        H.fresh(),
                        null,
                        NOT_SENT_WHOLE,
                        true,
                        Action.RESEND,
                        0,
                        Counter.SAFE_LOSS),
                row(
                        "safe losses in a row back off",
                        H.fresh().safe(3),
                        null,
                        NOT_SENT_WHOLE,
                        true,
                        Action.RESEND,
                        ms(400),
                        Counter.SAFE_LOSS),
                row(
                        "safe loss after the unsafe budget is spent: still re-sent",
                        H.fresh().unsafe(1),
                        null,
                        REFUSED,
                        true,
                        Action.RESEND,
                        0,
                        Counter.SAFE_LOSS),
                row(
                        "safe loss whose back-off passes the deadline: timeout",
                        H.fresh().safe(5).deadlineIn(ms(10)),
                        null,
                        REFUSED,
                        true,
                        Action.FAIL_TIMEOUT,
                        0,
                        Counter.NONE),
                // a connection that served and drains (GOAWAY owning up to earlier streams) did not take it
                onADrainingConnection(
                        "not taken by a draining connection: at once",
                        H.fresh(),
                        ABOVE_LAST_STREAM,
                        Action.RESEND,
                        0,
                        Counter.NONE),
                onADrainingConnection(
                        "not taken by draining connections again and again: still at once, no back-off",
                        H.fresh().safe(3),
                        ABOVE_LAST_STREAM,
                        Action.RESEND,
                        0,
                        Counter.NONE),
                onADrainingConnection(
                        "lost by a draining connection after it went out whole: a possible duplicate as ever",
                        H.fresh(),
                        LOST_AFTER_END_STREAM,
                        Action.RESEND,
                        0,
                        Counter.UNSAFE),
                onADrainingConnection(
                        "attempt timed out unwritten on a draining connection: backs off like any safe loss",
                        H.fresh().safe(3),
                        ATTEMPT_TIMED_OUT_UNWRITTEN,
                        Action.RESEND,
                        ms(400),
                        Counter.SAFE_LOSS),
                row(
                        "attempt timed out before it was written: safe",
                        H.fresh(),
                        null,
                        ATTEMPT_TIMED_OUT_UNWRITTEN,
                        true,
                        Action.RESEND,
                        0,
                        Counter.SAFE_LOSS),
                // failures the server may have processed
                row(
                        "lost after END_STREAM: one re-send, a possible duplicate",
                        H.fresh(),
                        null,
                        LOST_AFTER_END_STREAM,
                        true,
                        Action.RESEND,
                        0,
                        Counter.UNSAFE),
                row(
                        "lost after END_STREAM again: fail, may have been delivered",
                        H.fresh().unsafe(1),
                        null,
                        LOST_AFTER_END_STREAM,
                        true,
                        Action.FAIL,
                        0,
                        Counter.NONE),
                row(
                        "attempt timed out after it went out: a possible duplicate elsewhere",
                        H.fresh(),
                        null,
                        ATTEMPT_TIMED_OUT_WRITTEN,
                        true,
                        Action.RESEND,
                        0,
                        Counter.UNSAFE),
                row(
                        "attempt timed out again: fail, may have been delivered",
                        H.fresh().unsafe(1),
                        null,
                        ATTEMPT_TIMED_OUT_WRITTEN,
                        true,
                        Action.FAIL,
                        0,
                        Counter.NONE),
                row(
                        "wrapped in CompletionException: the same rule",
                        H.fresh(),
                        null,
                        new CompletionException(LOST_AFTER_END_STREAM),
                        true,
                        Action.RESEND,
                        0,
                        Counter.UNSAFE),
                // deadline, closed, local failures
                row(
                        "request deadline passed: timeout",
                        H.fresh().deadlineIn(0),
                        null,
                        ATTEMPT_TIMED_OUT_WRITTEN,
                        true,
                        Action.FAIL_TIMEOUT,
                        0,
                        Counter.NONE),
                row("pool closed: not accepted", H.fresh(), null, REFUSED, false, Action.FAIL_CLOSED, 0, Counter.NONE),
                row(
                        "a request that cannot be encoded is never re-sent",
                        H.fresh(),
                        null,
                        new ApnsException("the request's header block is 20000 bytes, over the server's limit"),
                        true,
                        Action.FAIL,
                        0,
                        Counter.NONE),
                row(
                        "anything else fails with itself",
                        H.fresh(),
                        null,
                        new IllegalStateException("bug"),
                        true,
                        Action.FAIL,
                        0,
                        Counter.NONE));
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static Arguments row(
            String name,
            H history,
            Response response,
            Throwable failure,
            boolean open,
            Action action,
            long delay,
            Counter counter) {
        return Arguments.of(name, history, response, failure, false, open, action, delay, counter);
    }

    /** A row whose attempt ended on a connection that drains after a GOAWAY owning up to earlier streams. */
    private static Arguments onADrainingConnection(
            String name, H history, Throwable failure, Action action, long delay, Counter counter) {
        return Arguments.of(name, history, null, failure, true, true, action, delay, counter);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(
            String name,
            H history,
            Response response,
            Throwable failure,
            boolean drained,
            boolean open,
            Action action,
            long delay,
            Counter counter) {
        Decision d = RULES.decide(history, response, failure, drained, open, NOW);
        assertThat(d.action()).as(name).isEqualTo(action);
        assertThat(d.delayNanos()).as(name + ": delay").isEqualTo(delay);
        assertThat(d.counter()).as(name + ": counter").isEqualTo(counter);
        assertThat(d.possibleDuplicate()).isEqualTo(counter == Counter.UNSAFE);
        if (action == Action.RESEND) {
            assertThat(d.reason())
                    .as(name + ": a bounded reason key")
                    .isNotBlank()
                    .hasSizeLessThan(40);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aFailureAfterTheUnsafeBudgetSaysItMayHaveBeenDelivered(
            String name,
            H history,
            Response response,
            Throwable failure,
            boolean drained,
            boolean open,
            Action action,
            long delay,
            Counter counter) {
        Decision d = RULES.decide(history, response, failure, drained, open, NOW);
        if (d.action() == Action.FAIL && history.unsafeRetries() > 0) {
            assertThat(d.failure()).isInstanceOf(ApnsException.class);
            assertThat(((ApnsException) d.failure()).possiblyDelivered())
                    .as(name)
                    .isTrue();
            assertThat(d.failure())
                    .hasMessageContaining("may have been delivered")
                    .hasMessageContaining("maxUnsafeRetries");
        }
    }

    @ParameterizedTest(name = "maxUnsafeRetries {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 3})
    void theUnsafeBudgetIsTheOption(int max) {
        DeliveryRules rules = new DeliveryRules(POLICY, max);
        H h = H.fresh();
        int resends = 0;
        for (int i = 0; i < 10; i++) {
            Decision d = rules.decide(h, null, LOST_AFTER_END_STREAM, false, true, NOW);
            if (d.action() != Action.RESEND) {
                assertThat(d.action()).isEqualTo(Action.FAIL);
                break;
            }
            resends++;
            h = h.unsafe(h.unsafeRetries() + 1);
        }
        assertThat(resends).isEqualTo(max);
    }

    @org.junit.jupiter.api.Test
    void durationsOfThePolicyAreUsed() {
        assertThat(POLICY.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(List.of(POLICY.backoffNanos(1), POLICY.backoffNanos(3))).containsExactly(ms(100), ms(400));
    }
}
