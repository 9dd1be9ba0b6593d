package io.aapns.channels;

import io.aapns.model.MessageStoragePolicy;
import java.util.Objects;

/**
 * A broadcast channel as APNs describes it ({@link ApnsChannels#get}): its id, its message storage policy (fixed at
 * creation) and its push type (always {@code LiveActivity}). Immutable.
 */
public final class Channel {

    private final String id;
    private final MessageStoragePolicy storagePolicy;
    private final String pushType;

    /** A channel with these values. */
    public Channel(String id, MessageStoragePolicy storagePolicy, String pushType) {
        this.id = Objects.requireNonNull(id, "id");
        this.storagePolicy = Objects.requireNonNull(storagePolicy, "storagePolicy");
        this.pushType = Objects.requireNonNull(pushType, "pushType");
    }

    /** The channel id, base64, as APNs issued it: the {@code apns-channel-id} of broadcasts to it. */
    public String id() {
        return id;
    }

    /** What APNs keeps for offline devices. */
    public MessageStoragePolicy storagePolicy() {
        return storagePolicy;
    }

    /** The channel's push type as APNs spells it: {@code LiveActivity}. */
    public String pushType() {
        return pushType;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channel c
                && id.equals(c.id)
                && storagePolicy == c.storagePolicy
                && pushType.equals(c.pushType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, storagePolicy, pushType);
    }

    @Override
    public String toString() {
        return "Channel{" + id + ", " + storagePolicy + ", " + pushType + "}";
    }
}
