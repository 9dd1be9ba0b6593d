package io.aapns.model;

/**
 * What APNs keeps of a broadcast channel's messages for devices that are offline when a message is sent: the
 * {@code message-storage-policy} of a channel, fixed when the channel is created and never changed afterwards (Apple,
 * "Sending channel management requests to APNs").
 */
public enum MessageStoragePolicy {

    /**
     * {@code 0}, No Message Stored: nothing is kept for offline devices. Suits frequent updates (a score); such
     * channels get a larger publishing budget. A broadcast to such a channel must carry {@code apns-expiration: 0};
     * APNs refuses any other value with 400 BadExpirationDate.
     */
    NO_MESSAGE_STORED(0),

    /**
     * {@code 1}, Most Recent Message Stored: the latest message is kept for offline devices, at most 8 hours, or until
     * the {@code apns-expiration} of the broadcast if that is sooner.
     */
    MOST_RECENT_MESSAGE_STORED(1);

    private final int value;

    MessageStoragePolicy(int value) {
        this.value = value;
    }

    /** The value APNs uses in JSON: 0 or 1. */
    public int value() {
        return value;
    }

    /**
     * The policy for APNs' value.
     *
     * @throws IllegalArgumentException for anything but 0 and 1
     */
    public static MessageStoragePolicy fromValue(int value) {
        return switch (value) {
            case 0 -> NO_MESSAGE_STORED;
            case 1 -> MOST_RECENT_MESSAGE_STORED;
            default ->
                throw new IllegalArgumentException(
                        "message-storage-policy is 0 (No Message Stored) or 1 (Most Recent Message Stored), not "
                                + value);
        };
    }
}
