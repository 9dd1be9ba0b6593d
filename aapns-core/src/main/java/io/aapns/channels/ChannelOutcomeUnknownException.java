package io.aapns.channels;

import io.aapns.errors.ApnsException;

/**
 * A channel create went out whole and its answer was lost (the connection dropped, the stream was reset, no answer in
 * time): APNs may have made the channel. A create is not idempotent (each one makes a new channel), so it is never sent
 * again on its own; {@link ApnsChannels#list()} shows the app's channels. {@link #possiblyDelivered()} is true.
 */
public final class ChannelOutcomeUnknownException extends ApnsException {

    private static final long serialVersionUID = 1L;

    private final ChannelOperation operation;

    /** Creates the exception for {@code operation}, whose last attempt failed with {@code cause}. */
    public ChannelOutcomeUnknownException(ChannelOperation operation, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
    }

    /** The operation whose outcome is unknown. */
    public ChannelOperation operation() {
        return operation;
    }

    /** True: the server may have done it. */
    @Override
    public boolean possiblyDelivered() {
        return true;
    }
}
