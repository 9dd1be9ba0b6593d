package io.aapns.api;

import io.aapns.connection.Response;
import io.aapns.errors.ApnsRejectedException;
import io.aapns.errors.Reason;
import java.time.Instant;
import java.util.Optional;

/**
 * What APNs answered to one notification: accepted, or rejected with a status and a {@link Reason}. A rejection is a
 * value, not an exception; {@link #orThrow()} turns it into {@link ApnsRejectedException} for those who prefer one.
 * Immutable.
 */
public final class PushResult {

    private final int status;
    private final String apnsId;
    private final String apnsUniqueId;
    private final Reason reason;
    private final String reasonText;
    private final Instant timestamp;

    private PushResult(int status, String apnsId, String apnsUniqueId, String reasonText, Instant timestamp) {
        this.status = status;
        this.apnsId = apnsId;
        this.apnsUniqueId = apnsUniqueId;
        this.reasonText = reasonText;
        this.reason = reasonText == null ? null : Reason.fromString(reasonText);
        this.timestamp = timestamp;
    }

    /** The result of an APNs answer; {@code sentId} is the apns-id the request carried. */
    static PushResult of(Response response, CharSequence sentId) {
        String apnsId = response.apnsId().orElse(null); // APNs echoes the id it was sent
        return new PushResult(
                response.status(),
                apnsId != null ? apnsId : sentId.toString(),
                response.apnsUniqueId().orElse(null),
                response.reason().orElse(null),
                response.timestamp().orElse(null));
    }

    /** A result with these values, for tests of code that handles results. */
    public static PushResult of(int status, String apnsId, String reasonText, Instant timestamp) {
        return new PushResult(status, apnsId, null, reasonText, timestamp);
    }

    /** True if APNs accepted the notification (status 200). */
    public boolean accepted() {
        return status == 200;
    }

    /** The HTTP status APNs answered. */
    public int status() {
        return status;
    }

    /** The notification's apns-id (as sent, or as APNs made it). */
    public String apnsId() {
        return apnsId;
    }

    /** In the development environment, the id of the notification in Apple's delivery log. */
    public Optional<String> apnsUniqueId() {
        return Optional.ofNullable(apnsUniqueId);
    }

    /** Why APNs rejected it; {@link Reason#UNKNOWN} for a reason this library does not know. */
    public Optional<Reason> reason() {
        return Optional.ofNullable(reason);
    }

    /** The reason exactly as APNs wrote it. */
    public Optional<String> reasonText() {
        return Optional.ofNullable(reasonText);
    }

    /** For 410: since when the device token is no longer valid for the topic. */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** Returns this result if accepted; throws {@link ApnsRejectedException} otherwise. */
    public PushResult orThrow() {
        if (!accepted()) {
            throw new ApnsRejectedException(status, reasonText, timestamp, apnsId);
        }
        return this;
    }

    @Override
    public String toString() {
        return accepted()
                ? "PushResult{accepted, apnsId=" + apnsId + "}"
                : "PushResult{rejected " + status + " " + reasonText + (timestamp != null ? " since " + timestamp : "")
                        + ", apnsId=" + apnsId + "}";
    }
}
