package io.aapns.api;

import io.aapns.connection.Response;
import io.aapns.errors.ApnsRejectedException;
import io.aapns.errors.Reason;
import java.time.Instant;
import java.util.Optional;

/**
 * What APNs answered to one notification or broadcast: accepted, or rejected with a status and a {@link Reason}. A
 * rejection is a value, not an exception; {@link #orThrow()} turns it into {@link ApnsRejectedException} for those who
 * prefer one. Immutable.
 */
public final class PushResult {

    private final int status;
    private final String apnsId;
    private final String apnsUniqueId;
    private final Reason reason;
    private final String reasonText;
    private final Instant timestamp;
    private final String apnsRequestId;

    private PushResult(int status, String apnsId, String apnsUniqueId, String reasonText, Instant timestamp) {
        this(status, apnsId, apnsUniqueId, reasonText, timestamp, null);
    }

    private PushResult(
            int status,
            String apnsId,
            String apnsUniqueId,
            String reasonText,
            Instant timestamp,
            String apnsRequestId) {
        this.apnsRequestId = apnsRequestId;
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

    /**
     * The result of a broadcast's answer; {@code sentRequestId} is the apns-request-id the request carried. A broadcast
     * has no apns-id: {@link #apnsId()} is its request id too.
     */
    static PushResult ofBroadcast(Response response, CharSequence sentRequestId) {
        String requestId = response.apnsRequestId().orElse(null); // APNs echoes the id it was sent
        String id = requestId != null ? requestId : sentRequestId.toString();
        return new PushResult(
                response.status(),
                id,
                response.apnsUniqueId().orElse(null),
                response.reason().orElse(null),
                response.timestamp().orElse(null),
                id);
    }

    /** A broadcast result with these values, for tests of code that handles results. */
    public static PushResult ofBroadcast(int status, String apnsRequestId, String apnsUniqueId, String reasonText) {
        return new PushResult(status, apnsRequestId, apnsUniqueId, reasonText, null, apnsRequestId);
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

    /**
     * The notification's apns-id (as sent, or as APNs made it); for a broadcast, which has none, its
     * {@link #apnsRequestId()}.
     */
    public String apnsId() {
        return apnsId;
    }

    /**
     * The {@code apns-request-id} of a broadcast (as sent, or as APNs made it); empty for a notification to a device
     * token, whose id is {@link #apnsId()}.
     */
    public Optional<String> apnsRequestId() {
        return Optional.ofNullable(apnsRequestId);
    }

    /** Whether this is the result of a broadcast ({@link ApnsClient#broadcast}). */
    public boolean isBroadcast() {
        return apnsRequestId != null;
    }

    /**
     * APNs' own id of the message, to quote to Apple: for a notification to a device token in the development
     * environment only; for a broadcast in both.
     */
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
