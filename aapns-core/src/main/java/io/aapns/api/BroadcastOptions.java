package io.aapns.api;

import io.aapns.internal.HeaderValues;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.model.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How one broadcast is sent ({@link ApnsClient#broadcast}): the headers Apple defines for {@code POST
 * /4/broadcasts/apps/<bundle id>} and the client's own checks. Everything is optional. Immutable.
 *
 * <ul>
 *   <li>{@code apns-expiration} (required by APNs): {@link Builder#expiration(Instant)}, or 0 by default (one attempt,
 *       nothing stored). A channel created with {@link MessageStoragePolicy#NO_MESSAGE_STORED} accepts only 0; set an
 *       expiration on a {@link MessageStoragePolicy#MOST_RECENT_MESSAGE_STORED} channel to have the message kept for
 *       devices that are offline (at most 8 hours).
 *   <li>{@code apns-priority} (required by APNs): 10 by default; ActivityKit advises 5 or 10.
 *   <li>{@code apns-request-id}: {@link Builder#apnsRequestId(UUID)}, or a new random UUID; either way returned by
 *       {@link PushResult#apnsRequestId()}.
 *   <li>{@link Builder#storagePolicy}: the channel's policy when the caller knows it, so that an expiration the channel
 *       would refuse fails before anything is sent.
 *   <li>{@link Builder#bundleId}: the app instead of the client's topic.
 * </ul>
 *
 * <p>There is no collapse id: Apple documents none for broadcasts. A Live Activity update carries a timestamp, and the
 * device keeps only the newest, which is what a collapse id would be for.
 */
public final class BroadcastOptions {

    private static final BroadcastOptions DEFAULTS = builder().build();

    final Instant expiration;
    final Priority priority;
    final UUID apnsRequestId;
    final MessageStoragePolicy storagePolicy;
    final String bundleId;
    final Duration timeout;

    private BroadcastOptions(Builder b) {
        this.expiration = b.expiration;
        this.priority = b.priority;
        this.apnsRequestId = b.apnsRequestId;
        this.storagePolicy = b.storagePolicy;
        this.bundleId = b.bundleId;
        this.timeout = b.timeout;
        if (storagePolicy == MessageStoragePolicy.NO_MESSAGE_STORED && expiration.getEpochSecond() != 0) {
            throw new IllegalArgumentException("a channel with No Message Stored (message-storage-policy 0) takes"
                    + " only apns-expiration 0, not " + expiration + ": leave the expiration unset, or create the"
                    + " channel with MOST_RECENT_MESSAGE_STORED");
        }
    }

    /** Expiration 0, priority 10, a generated request id, the client's topic and timeout. */
    public static BroadcastOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Until when APNs stores and retries the message; {@link Instant#EPOCH} (the default) means once, not stored. */
    public Instant expiration() {
        return expiration;
    }

    /** The {@code apns-priority}: 10 unless set. */
    public Priority priority() {
        return priority;
    }

    /** The caller's {@code apns-request-id}, if set. */
    public Optional<UUID> apnsRequestId() {
        return Optional.ofNullable(apnsRequestId);
    }

    /** The channel's storage policy, if the caller said it. */
    public Optional<MessageStoragePolicy> storagePolicy() {
        return Optional.ofNullable(storagePolicy);
    }

    /** The bundle id instead of the client's topic, if set. */
    public Optional<String> bundleId() {
        return Optional.ofNullable(bundleId);
    }

    /** How long the client may try, retries included, if not its default. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public String toString() {
        return "BroadcastOptions{expiration=" + expiration.getEpochSecond() + ", priority=" + priority.value()
                + (apnsRequestId != null ? ", apnsRequestId=" + apnsRequestId : "")
                + (storagePolicy != null ? ", storagePolicy=" + storagePolicy : "")
                + (bundleId != null ? ", bundleId=" + bundleId : "")
                + (timeout != null ? ", timeout=" + timeout : "") + "}";
    }

    /** Builds {@link BroadcastOptions}. */
    public static final class Builder {
        private Instant expiration = Instant.EPOCH;
        private Priority priority = Priority.IMMEDIATE;
        private UUID apnsRequestId;
        private MessageStoragePolicy storagePolicy;
        private String bundleId;
        private Duration timeout;

        private Builder() {}

        /**
         * Until when APNs stores the message for offline devices and retries it (apns-expiration, epoch seconds); only
         * for a Most Recent Message Stored channel, which keeps a message 8 hours at most.
         */
        public Builder expiration(Instant expiration) {
            Objects.requireNonNull(expiration, "expiration");
            if (expiration.isBefore(Instant.EPOCH)) {
                throw new IllegalArgumentException("expiration must not be before 1970, got " + expiration);
            }
            this.expiration = expiration;
            return this;
        }

        /** One attempt, nothing stored: apns-expiration 0 (the default). */
        public Builder deliverOnce() {
            this.expiration = Instant.EPOCH;
            return this;
        }

        /** apns-priority: 10 IMMEDIATE (default), 5 CONSIDER_POWER, 1 PRIORITIZE_POWER. */
        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** The request's apns-request-id, echoed by APNs; generated when not set. */
        public Builder apnsRequestId(UUID id) {
            this.apnsRequestId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The channel's storage policy, when known, so that an expiration the channel refuses fails here. */
        public Builder storagePolicy(MessageStoragePolicy policy) {
            this.storagePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The app's bundle id, bare (no {@code .push-type.liveactivity}: APNs refuses a suffix with TopicDisallowed),
         * instead of the client's topic.
         */
        public Builder bundleId(String bundleId) {
            this.bundleId = HeaderValues.checkBundleId(bundleId);
            return this;
        }

        /** How long the client may try, retries included, instead of its default timeout. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws IllegalArgumentException if the storage policy is No Message Stored and the expiration is not 0
         */
        public BroadcastOptions build() {
            return new BroadcastOptions(this);
        }
    }
}
