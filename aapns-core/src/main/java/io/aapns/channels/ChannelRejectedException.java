package io.aapns.channels;

import io.aapns.errors.ApnsRejectedException;
import io.aapns.errors.Reason;

/**
 * APNs answered a channel management request and refused it: the one way every {@link ApnsChannels} operation reports a
 * rejection (its future completes exceptionally with this). It carries the operation, the HTTP status, the
 * {@link Reason} ({@link #reason()}; {@code UNKNOWN} with Apple's text in {@link #reasonText()} for a reason this
 * version does not know) and the request's {@code apns-request-id} ({@link #apnsRequestId()}).
 */
public final class ChannelRejectedException extends ApnsRejectedException {

    private static final long serialVersionUID = 1L;

    private final ChannelOperation operation;

    /** Creates the exception for a rejected {@code operation}. */
    public ChannelRejectedException(ChannelOperation operation, int status, String reasonText, String apnsRequestId) {
        super(message(operation, status, reasonText, apnsRequestId), status, reasonText, apnsRequestId);
        this.operation = operation;
    }

    private static String message(ChannelOperation operation, int status, String reasonText, String requestId) {
        Reason reason = Reason.fromString(reasonText);
        return "APNs rejected the channel " + operation.tag() + ": " + status + " "
                + (reasonText != null ? reasonText : "(no reason)")
                + (reason != Reason.UNKNOWN ? " (" + reason.description() + ")" : "")
                + (requestId != null ? ", apns-request-id " + requestId : "");
    }

    /** The operation APNs refused. */
    public ChannelOperation operation() {
        return operation;
    }

    /** The {@code apns-request-id} of the refused request (as APNs echoed it, or as sent). */
    public String apnsRequestId() {
        return apnsId();
    }
}
