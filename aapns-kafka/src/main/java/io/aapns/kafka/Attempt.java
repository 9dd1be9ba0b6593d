package io.aapns.kafka;

import java.time.Instant;
import java.util.UUID;

/**
 * One attempt of a request, as the worker sends it: which attempt it is (1 for the first, read from the requests
 * topic), the {@code apns-id} and position of the original request (the same on every attempt), whether an earlier
 * attempt may have been delivered, and the time before which it must not be sent.
 *
 * @param number 1 for the first attempt, 2 for the first retry...
 * @param apnsId the {@code apns-id}, derived from the original request's record (see {@link ApnsIds})
 * @param source where the original request was read
 * @param possiblyDelivered whether an earlier attempt may have reached the device
 * @param notBefore when this attempt may be sent (the back-off), or null for at once
 */
record Attempt(int number, UUID apnsId, PushOutcome.Source source, boolean possiblyDelivered, Instant notBefore) {

    /** Returns the next attempt, sent no earlier than {@code notBefore}. */
    Attempt next(boolean thisMayHaveBeenDelivered, Instant notBefore) {
        return new Attempt(number + 1, apnsId, source, possiblyDelivered || thisMayHaveBeenDelivered, notBefore);
    }
}
