package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.PushResult;
import io.aapns.api.SendObserver;
import io.aapns.errors.Reason;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * A Micrometer {@link Observation} around each send ({@code aapns.send}) and broadcast ({@code aapns.broadcast}),
 * started on the sending thread so that it is a child of the caller's current observation (a span under the HTTP
 * request that caused the push). Low-cardinality keys (in metrics and traces): {@code outcome} (accepted, rejected,
 * failed), {@code reason} (a known APNs reason, {@code status-NNN}, {@code other}, or the failure's exception name),
 * {@code push.type}, {@code client} (the client's name, {@link ClientNames}). High-cardinality keys (on the span only):
 * {@code apns.id}, {@code apns.unique.id}. Each re-send is an event ({@code aapns.retry}) on the span.
 */
final class ApnsSendObservations implements SendObserver {

    static final String NAME = "aapns.send";

    private final ObservationRegistry registry;
    private final String client;

    /** Observations tagged with the client of the top-level properties, {@code default}. */
    ApnsSendObservations(ObservationRegistry registry) {
        this(registry, ClientNames.DEFAULT);
    }

    /** Observations of the client {@code client} ({@link ClientNames}). */
    ApnsSendObservations(ObservationRegistry registry, String client) {
        this.registry = registry;
        this.client = client;
    }

    @Override
    public ObservedSend started(Started send) {
        Observation observation = Observation.createNotStarted("aapns." + send.operation(), registry)
                .contextualName("aapns " + send.operation())
                .lowCardinalityKeyValue("client", client)
                .lowCardinalityKeyValue("push.type", send.pushType().name().toLowerCase(Locale.ROOT))
                .highCardinalityKeyValue("apns.id", send.apnsId())
                .start();
        if (observation.isNoop()) {
            return null;
        }
        return new ObservedSend() {
            @Override
            public void retried(int attempt, String reason, Duration delay) {
                observation.event(Observation.Event.of(
                        "aapns.retry", "attempt " + attempt + " re-sent after " + delay.toMillis() + " ms: " + reason));
            }

            @Override
            public void ended(PushResult result, Throwable failure) {
                if (result != null) {
                    observation.lowCardinalityKeyValue("outcome", result.accepted() ? "accepted" : "rejected");
                    observation.lowCardinalityKeyValue(
                            "reason",
                            result.accepted()
                                    ? "none"
                                    : Reason.keyOf(
                                            result.status(), result.reasonText().orElse(null)));
                    result.apnsUniqueId().ifPresent(id -> observation.highCardinalityKeyValue("apns.unique.id", id));
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause()
                            : failure;
                    observation.lowCardinalityKeyValue("outcome", "failed");
                    observation.lowCardinalityKeyValue(
                            "reason",
                            cause == null ? "unknown" : cause.getClass().getSimpleName());
                    observation.error(cause);
                }
                observation.stop();
            }
        };
    }
}
