package io.aapns.errors;

import java.time.Instant;
import java.util.Optional;

/**
 * APNs answered and refused the notification: it carries the HTTP status, the parsed {@link Reason}, Apple's exact
 * reason text, and for 410 the time since which the device token is no longer valid.
 *
 * <p>A rejection is normally a value ({@code PushResult}); {@code PushResult.orThrow()} turns it into this exception
 * for callers who prefer exceptions.
 */
public class ApnsRejectedException extends ApnsException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Reason reason;
    private final String reasonText;
    private final Instant timestamp;
    private final String apnsId;

    /**
     * Creates the exception for a rejection.
     *
     * @param status the HTTP status, such as 400 or 410
     * @param reasonText Apple's reason text, or null if the body had none
     * @param timestamp for 410, when the token stopped being valid; otherwise null
     * @param apnsId the apns-id of the rejected request, or null
     */
    public ApnsRejectedException(int status, String reasonText, Instant timestamp, String apnsId) {
        super(message(status, reasonText, timestamp, apnsId));
        this.status = status;
        this.reason = Reason.fromString(reasonText);
        this.reasonText = reasonText;
        this.timestamp = timestamp;
        this.apnsId = apnsId;
    }

    /**
     * Creates the exception for a rejection of something other than a notification (a channel management request):
     * {@code message} says what was refused; {@code requestId} is the request's id (its apns-request-id).
     */
    protected ApnsRejectedException(String message, int status, String reasonText, String requestId) {
        super(message);
        this.status = status;
        this.reason = Reason.fromString(reasonText);
        this.reasonText = reasonText;
        this.timestamp = null;
        this.apnsId = requestId;
    }

    /** Creates the exception for a rejection without timestamp or apns-id. */
    public ApnsRejectedException(int status, String reasonText) {
        this(status, reasonText, null, null);
    }

    private static String message(int status, String reasonText, Instant timestamp, String apnsId) {
        Reason reason = Reason.fromString(reasonText);
        StringBuilder sb = new StringBuilder("APNs rejected the notification: ").append(status);
        sb.append(' ').append(reasonText != null ? reasonText : "(no reason)");
        if (reason != Reason.UNKNOWN) {
            sb.append(" (").append(reason.description()).append(')');
        }
        if (timestamp != null) {
            sb.append(", token invalid since ").append(timestamp);
        }
        if (apnsId != null) {
            sb.append(", apns-id ").append(apnsId);
        }
        return sb.toString();
    }

    /** Returns the HTTP status of the rejection. */
    public int status() {
        return status;
    }

    /** Returns the parsed reason; {@link Reason#UNKNOWN} if absent or not known. */
    public Reason reason() {
        return reason;
    }

    /** Returns Apple's reason text exactly as sent, or null if there was none. */
    public String reasonText() {
        return reasonText;
    }

    /** Returns, for 410, since when the device token is no longer valid. */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** Returns the apns-id of the rejected request, or null if unknown. */
    public String apnsId() {
        return apnsId;
    }

    /** Returns Apple's advice on sending the same notification again. */
    public RetryAdvice retryAdvice() {
        return RetryAdvice.forResponse(reason, status);
    }
}
