package io.aapns.spring.boot.autoconfigure;

import io.aapns.channels.ChannelObserver;
import io.aapns.channels.ChannelRejectedException;
import io.aapns.errors.Reason;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * A Micrometer {@link Observation} around each channel management operation ({@code aapns.channel}), started on the
 * calling thread so that it is a child of the caller's current observation. Low-cardinality keys: {@code operation}
 * (create, read, list, delete), {@code outcome} (success, rejected, failed), {@code reason} (as for sends: a known APNs
 * reason, {@code status-NNN}, {@code other}, or the failure's exception name). High-cardinality:
 * {@code apns.request.id}. A read, list or delete sent again after a lost answer is an event ({@code aapns.retry}).
 */
final class ApnsChannelObservations implements ChannelObserver {

    static final String NAME = "aapns.channel";

    private final ObservationRegistry registry;

    ApnsChannelObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ObservedOperation started(Started started) {
        String operation = started.operation().tag();
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName("aapns channel " + operation)
                .lowCardinalityKeyValue("operation", operation)
                .highCardinalityKeyValue("apns.request.id", started.requestId())
                .start();
        if (observation.isNoop()) {
            return null;
        }
        return new ObservedOperation() {
            @Override
            public void retried(int resend, String reason) {
                observation.event(Observation.Event.of("aapns.retry", "re-sent (" + resend + ") after " + reason));
            }

            @Override
            public void ended(Throwable failure) {
                if (failure == null) {
                    observation.lowCardinalityKeyValue("outcome", "success");
                    observation.lowCardinalityKeyValue("reason", "none");
                } else if (failure instanceof ChannelRejectedException rejected) {
                    observation.lowCardinalityKeyValue("outcome", "rejected");
                    observation.lowCardinalityKeyValue(
                            "reason", Reason.keyOf(rejected.status(), rejected.reasonText()));
                } else {
                    observation.lowCardinalityKeyValue("outcome", "failed");
                    observation.lowCardinalityKeyValue(
                            "reason", failure.getClass().getSimpleName());
                    observation.error(failure);
                }
                observation.stop();
            }
        };
    }
}
