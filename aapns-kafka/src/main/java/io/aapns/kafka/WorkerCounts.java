package io.aapns.kafka;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the worker has done since it started, counted as it happens: records consumed (from the requests topic and from
 * the retry topic), outcomes by kind (410 Unregistered among the rejections counted too), requests written to the retry
 * topic, and records sent to the dead-letter topic. Cheap enough to count always; metrics and health read it.
 * Thread-safe.
 */
final class WorkerCounts {

    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final Map<PushOutcome.Kind, LongAdder> outcomes = new EnumMap<>(PushOutcome.Kind.class);
    private final LongAdder unregistered = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    WorkerCounts() {
        for (PushOutcome.Kind kind : PushOutcome.Kind.values()) {
            outcomes.put(kind, new LongAdder());
        }
    }

    /** Counts a record taken from the requests topic ({@code retry} false) or from the retry topic. */
    void consumed(boolean retry) {
        (retry ? retries : requests).increment();
    }

    /** Counts an outcome written (or about to be) to the results topic. */
    void outcome(PushOutcome outcome) {
        outcomes.get(outcome.outcome()).increment();
        if (outcome.unregistered()) {
            unregistered.increment();
        }
    }

    /** Counts a request written to the retry topic for a later attempt. */
    void retryWritten() {
        retried.increment();
    }

    /** Counts a record sent to the dead-letter topic. */
    void deadLetterWritten() {
        deadLettered.increment();
    }

    long consumedRequests() {
        return requests.sum();
    }

    long consumedRetries() {
        return retries.sum();
    }

    long outcomes(PushOutcome.Kind kind) {
        return outcomes.get(kind).sum();
    }

    long unregistered() {
        return unregistered.sum();
    }

    long retried() {
        return retried.sum();
    }

    long deadLettered() {
        return deadLettered.sum();
    }
}
