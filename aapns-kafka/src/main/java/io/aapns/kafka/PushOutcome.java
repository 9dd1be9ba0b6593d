package io.aapns.kafka;

import java.time.Instant;

/**
 * The outcome of one push request, as the worker writes it to the results topic (and, for 410 Unregistered, to the
 * unregistered topic), keyed by the request's record key. {@link #toJson()} and {@link #fromJson(String)} are its
 * record format, version 1 (docs/kafka.md).
 *
 * @param key the request record's key (the device token)
 * @param token the device token, normalized
 * @param outcome accepted by APNs, rejected by it (with a status and reason) or failed without an answer
 * @param status the HTTP status APNs answered, or null when it did not answer
 * @param reason APNs' reason for a rejection ({@code BadDeviceToken}, {@code Unregistered}...), or null
 * @param apnsId the {@code apns-id} the request was sent with (derived from the record: see {@link ApnsIds})
 * @param apnsUniqueId the {@code apns-unique-id} APNs answered with (development environment), or null
 * @param timestamp for 410 Unregistered, since when the token is no longer valid; else null
 * @param attempts how many times this worker handed the request to the client (more than 1 only when the client's queue
 *     was full); the client's own re-sends on other connections are not counted
 * @param possiblyDuplicated true when the device may have received the notification more than once: a failure after
 *     which it may have been delivered and which a later re-send could repeat
 * @param worker the id of the worker that sent it
 * @param source where the request was read: topic, partition and offset
 * @param error for a failed outcome, what went wrong; else null
 */
public record PushOutcome(
        String key,
        String token,
        Kind outcome,
        Integer status,
        String reason,
        String apnsId,
        String apnsUniqueId,
        Instant timestamp,
        int attempts,
        boolean possiblyDuplicated,
        String worker,
        Source source,
        String error) {

    /** What became of a request. */
    public enum Kind {
        /** APNs accepted it (200). */
        ACCEPTED,
        /** APNs rejected it: {@code status} and {@code reason} say why. */
        REJECTED,
        /** No answer could be had (the deadline passed, the client closed): {@code error} says why. */
        FAILED
    }

    /** Where the request was read. */
    public record Source(String topic, int partition, long offset) {}

    /** Returns true for a 410 Unregistered rejection: the token should be deleted. */
    public boolean unregistered() {
        return status != null && status == 410;
    }

    /** Returns the record value: UTF-8 JSON, {@code "v": 1}. */
    public String toJson() {
        return PushOutcomeCodec.encode(this);
    }

    /**
     * Reads a record value of the results or unregistered topic.
     *
     * @throws IllegalArgumentException if it is not an outcome of version 1
     */
    public static PushOutcome fromJson(String json) {
        return PushOutcomeCodec.decode(json);
    }
}
