package io.aapns.api;

import io.aapns.internal.Validation;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How one notification is sent: the APNs request headers ({@code apns-id}, {@code apns-expiration},
 * {@code apns-priority}, {@code apns-push-type}, {@code apns-topic}, {@code apns-collapse-id}) and its timeout.
 * Everything is optional: the client generates the id, infers the push type, takes its default topic and timeout.
 * Immutable.
 */
public final class SendOptions {

    private static final SendOptions DEFAULTS = builder().build();

    // package-private: ApnsClient reads them without an Optional per field and send
    final UUID apnsId;
    final Instant expiration;
    final Priority priority;
    final PushType pushType;
    final String topic;
    final String collapseId;
    final Duration timeout;

    private SendOptions(Builder b) {
        this.apnsId = b.apnsId;
        this.expiration = b.expiration;
        this.priority = b.priority;
        this.pushType = b.pushType;
        this.topic = b.topic;
        this.collapseId = b.collapseId;
        this.timeout = b.timeout;
    }

    /** No options: everything from the client's defaults. */
    public static SendOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<UUID> apnsId() {
        return Optional.ofNullable(apnsId);
    }

    /** When APNs may stop trying to deliver; {@link Instant#EPOCH} means deliver once, don't store. */
    public Optional<Instant> expiration() {
        return Optional.ofNullable(expiration);
    }

    public Optional<Priority> priority() {
        return Optional.ofNullable(priority);
    }

    public Optional<PushType> pushType() {
        return Optional.ofNullable(pushType);
    }

    public Optional<String> topic() {
        return Optional.ofNullable(topic);
    }

    public Optional<String> collapseId() {
        return Optional.ofNullable(collapseId);
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    @Override
    public String toString() {
        return "SendOptions{apnsId=" + apnsId + ", expiration=" + expiration + ", priority=" + priority
                + ", pushType=" + pushType + ", topic=" + topic + ", collapseId=" + collapseId + ", timeout="
                + timeout + "}";
    }

    /** Builds {@link SendOptions}. */
    public static final class Builder {
        private UUID apnsId;
        private Instant expiration;
        private Priority priority;
        private PushType pushType;
        private String topic;
        private String collapseId;
        private Duration timeout;

        private Builder() {}

        /** The notification's id (apns-id); generated when not set, and returned in the result. */
        public Builder apnsId(UUID apnsId) {
            this.apnsId = Objects.requireNonNull(apnsId, "apnsId");
            return this;
        }

        /** Until when APNs stores and retries the notification (apns-expiration, epoch seconds). */
        public Builder expiration(Instant expiration) {
            Objects.requireNonNull(expiration, "expiration");
            if (expiration.isBefore(Instant.EPOCH)) {
                throw new IllegalArgumentException("expiration must not be before 1970, got " + expiration);
            }
            this.expiration = expiration;
            return this;
        }

        /** Deliver once and never store: apns-expiration 0. */
        public Builder deliverOnce() {
            this.expiration = Instant.EPOCH;
            return this;
        }

        /** apns-priority: 10 IMMEDIATE (APNs' default), 5 CONSIDER_POWER, 1 PRIORITIZE_POWER. */
        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** apns-push-type; inferred from the notification when not set. */
        public Builder pushType(PushType pushType) {
            this.pushType = Objects.requireNonNull(pushType, "pushType");
            return this;
        }

        /** apns-topic (the app's bundle id) instead of the client's default; the push type's suffix is added. */
        public Builder topic(String topic) {
            this.topic = Validation.checkTopic(topic);
            return this;
        }

        /** apns-collapse-id: notifications with the same id replace each other on the device; at most 64 bytes. */
        public Builder collapseId(String collapseId) {
            this.collapseId = Validation.checkCollapseId(collapseId);
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

        public SendOptions build() {
            return new SendOptions(this);
        }
    }
}
