package io.aapns.cli;

import io.aapns.api.PushResult;
import io.aapns.errors.ApnsException;
import io.aapns.errors.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How one device token fared: accepted, rejected by APNs, without an answer, or not sent because the token is invalid.
 * One JSON line of {@code --output}, and one line of text.
 */
record SendResult(
        String token,
        Outcome outcome,
        Integer status,
        String reason,
        String detail,
        String apnsId,
        String apnsUniqueId,
        Instant unregisteredSince,
        Instant at,
        Integer attempts,
        boolean possiblyDelivered) {

    /** What happened to the notification for one token. */
    enum Outcome {
        ACCEPTED,
        REJECTED,
        FAILED,
        INVALID;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static SendResult of(String token, PushResult result, Integer attempts) {
        if (result.accepted()) {
            return new SendResult(
                    token,
                    Outcome.ACCEPTED,
                    result.status(),
                    null,
                    null,
                    result.apnsId(),
                    result.apnsUniqueId().orElse(null),
                    null,
                    Instant.now(),
                    attempts,
                    false);
        }
        String reason = result.reasonText().orElse(null);
        String detail = result.reason()
                .filter(r -> r != Reason.UNKNOWN)
                .map(Reason::description)
                .orElse(null);
        return new SendResult(
                token,
                Outcome.REJECTED,
                result.status(),
                reason,
                detail,
                result.apnsId(),
                result.apnsUniqueId().orElse(null),
                result.timestamp().orElse(null),
                Instant.now(),
                attempts,
                false);
    }

    static SendResult failed(String token, UUID apnsId, Throwable failure, Integer attempts) {
        Throwable cause = CliProblems.unwrap(failure);
        boolean maybe = cause instanceof ApnsException a && a.possiblyDelivered();
        return new SendResult(
                token,
                Outcome.FAILED,
                null,
                cause.getClass().getSimpleName(),
                CliProblems.message(cause),
                apnsId.toString(),
                null,
                null,
                Instant.now(),
                attempts,
                maybe);
    }

    static SendResult invalid(String token, String message) {
        return new SendResult(
                token, Outcome.INVALID, null, "InvalidInput", message, null, null, null, Instant.now(), null, false);
    }

    boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }

    /** The fields of the JSON line, in a fixed order; absent values are null. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token);
        m.put("outcome", outcome.word());
        m.put("status", status);
        m.put("reason", reason);
        m.put("detail", detail);
        m.put("apns-id", apnsId);
        m.put("apns-unique-id", apnsUniqueId);
        m.put("unregistered-since", unregisteredSince == null ? null : unregisteredSince.toString());
        m.put("timestamp", at.toString());
        m.put("attempts", attempts);
        if (outcome == Outcome.FAILED) {
            m.put("possibly-delivered", possiblyDelivered);
        }
        return m;
    }

    /** One line for a person: what happened and, if it went wrong, why. */
    String text() {
        return switch (outcome) {
            case ACCEPTED ->
                "accepted " + token + " apns-id " + apnsId
                        + (apnsUniqueId != null ? " apns-unique-id " + apnsUniqueId : "");
            case REJECTED ->
                "rejected " + token + ": " + status + " " + reason
                        + (unregisteredSince != null ? " since " + unregisteredSince : "")
                        + (detail != null ? " (" + detail + ")" : "")
                        + " apns-id " + apnsId;
            case FAILED ->
                "no answer " + token + ": " + detail
                        + (possiblyDelivered
                                ? " (it may have been delivered: a re-send may show twice unless it has a --collapse-id)"
                                : " (not delivered)");
            case INVALID -> "invalid " + token + ": " + detail;
        };
    }
}
