package io.aapns.sample.kafka;

import io.aapns.kafka.PushOutcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads the worker's results topic ({@code aapns.kafka.results-topic}) and counts the outcomes by kind: accepted,
 * rejected, failed. Its consumer group ({@code sample.results-group-id}) starts at the beginning of the topic.
 */
@Component
class OutcomeCounter {

    private final Map<PushOutcome.Kind, LongAdder> counts = new EnumMap<>(PushOutcome.Kind.class);

    OutcomeCounter() {
        for (PushOutcome.Kind kind : PushOutcome.Kind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    @KafkaListener(
            id = "sample-results",
            topics = "${aapns.kafka.results-topic}",
            groupId = "${sample.results-group-id}",
            properties = "auto.offset.reset=earliest")
    void onOutcome(String value) {
        counts.get(PushOutcome.fromJson(value).outcome()).increment();
    }

    /** The outcomes read so far of one kind. */
    long count(PushOutcome.Kind kind) {
        return counts.get(kind).sum();
    }
}
