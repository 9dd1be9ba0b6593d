package io.aapns.kafka;

import io.aapns.api.SendOptions;
import io.aapns.model.Notification;
import java.util.Objects;
import java.util.Optional;

/**
 * One push request as it travels on the requests topic: the device token, the notification, the send options, and
 * optionally the named client that should send it and an idempotency key. Immutable; {@link PushRequestCodec} turns it
 * into a record value and back.
 */
public final class PushRequest {

    private final String deviceToken;
    private final Notification notification;
    private final SendOptions options;
    private final String client;
    private final String idempotencyKey;

    private PushRequest(Builder b) {
        this.deviceToken = Objects.requireNonNull(b.deviceToken, "deviceToken");
        this.notification = Objects.requireNonNull(b.notification, "notification");
        this.options = b.options != null ? b.options : SendOptions.defaults();
        this.client = b.client;
        this.idempotencyKey = b.idempotencyKey;
    }

    /** Returns a builder of a request to {@code deviceToken}. */
    public static Builder builder(String deviceToken, Notification notification) {
        return new Builder().deviceToken(deviceToken).notification(notification);
    }

    /** Returns a builder that starts with this request's fields. */
    public Builder toBuilder() {
        return new Builder()
                .deviceToken(deviceToken)
                .notification(notification)
                .options(options)
                .client(client)
                .idempotencyKey(idempotencyKey);
    }

    /** Returns the device token, as given (the publisher writes it normalized: lowercase hex). */
    public String deviceToken() {
        return deviceToken;
    }

    /** Returns the notification. */
    public Notification notification() {
        return notification;
    }

    /** Returns the send options ({@link SendOptions#defaults()} when none were given). */
    public SendOptions options() {
        return options;
    }

    /** Returns the named client asked for: the worker sends it through the bean {@code <client>ApnsClient}. */
    public Optional<String> client() {
        return Optional.ofNullable(client);
    }

    /** Returns the idempotency key, from which the worker derives the {@code apns-id} when the options have none. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PushRequest other
                && deviceToken.equals(other.deviceToken)
                && notification.equals(other.notification)
                && options.toString().equals(other.options.toString())
                && Objects.equals(client, other.client)
                && Objects.equals(idempotencyKey, other.idempotencyKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceToken, notification, client, idempotencyKey);
    }

    @Override
    public String toString() {
        return "PushRequest[token=" + deviceToken + ", notification=" + notification + ", options=" + options
                + (client != null ? ", client=" + client : "")
                + (idempotencyKey != null ? ", idempotencyKey=" + idempotencyKey : "") + "]";
    }

    /** Builds a {@link PushRequest}; the token and the notification are required. */
    public static final class Builder {
        private String deviceToken;
        private Notification notification;
        private SendOptions options;
        private String client;
        private String idempotencyKey;

        private Builder() {}

        /** Sets the device token (hex). */
        public Builder deviceToken(String deviceToken) {
            this.deviceToken = deviceToken;
            return this;
        }

        /** Sets the notification. */
        public Builder notification(Notification notification) {
            this.notification = notification;
            return this;
        }

        /** Sets the send options; null means {@link SendOptions#defaults()}. */
        public Builder options(SendOptions options) {
            this.options = options;
            return this;
        }

        /** Sets the named client that should send it (the bean {@code <client>ApnsClient}); null for the default. */
        public Builder client(String client) {
            this.client = client;
            return this;
        }

        /** Sets the idempotency key: records with the same key are sent with the same {@code apns-id}. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        /** Returns the request. */
        public PushRequest build() {
            return new PushRequest(this);
        }
    }
}
