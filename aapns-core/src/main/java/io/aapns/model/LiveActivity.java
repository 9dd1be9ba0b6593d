package io.aapns.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The Live Activity part of a notification (push type {@code liveactivity}): the event (start, update or end), its
 * timestamp, the new content-state, and for a push-to-start the attributes type and attributes. These keys go into the
 * {@code aps} dictionary; the notification's alert, stale date and relevance score apply to Live Activities too.
 *
 * <pre>{@code
 * LiveActivity update = LiveActivity.update()
 *     .timestamp(Instant.now())
 *     .contentState(Map.of("score", "2-1"))
 *     .build();
 * }</pre>
 *
 * <p>Content-state and attributes may be a {@code Map}, a record or a bean; they are turned into JSON when the Live
 * Activity is built (beans with Jackson's defaults), and must decode into the app's {@code ActivityAttributes} types.
 */
public final class LiveActivity {

    private final LiveActivityEvent event;
    private final Instant timestamp;
    private final Map<String, Object> contentState;
    private final String attributesType;
    private final Map<String, Object> attributes;
    private final Instant dismissalDate;
    private final boolean inputPushToken;
    private final String inputPushChannel;

    private LiveActivity(Builder b) {
        this.event = b.event;
        this.timestamp = b.timestamp;
        this.contentState = b.contentState;
        this.attributesType = b.attributesType;
        this.attributes = b.attributes;
        this.dismissalDate = b.dismissalDate;
        this.inputPushToken = b.inputPushToken;
        this.inputPushChannel = b.inputPushChannel;
    }

    /** Returns a builder for a push that starts a Live Activity (push-to-start). */
    public static Builder start() {
        return new Builder(LiveActivityEvent.START);
    }

    /** Returns a builder for a push that updates a running Live Activity. */
    public static Builder update() {
        return new Builder(LiveActivityEvent.UPDATE);
    }

    /** Returns a builder for a push that ends a Live Activity. */
    public static Builder end() {
        return new Builder(LiveActivityEvent.END);
    }

    /** Returns a builder for the given event. */
    public static Builder builder(LiveActivityEvent event) {
        return new Builder(Objects.requireNonNull(event, "event"));
    }

    /** Returns the event: start, update or end. */
    public LiveActivityEvent event() {
        return event;
    }

    /** Returns when the content was current ({@code timestamp}, epoch seconds in the payload). */
    public Instant timestamp() {
        return timestamp;
    }

    /** Returns the content-state as an unmodifiable map, or null. */
    public Map<String, Object> contentState() {
        return contentState;
    }

    /** Returns the name of the app's {@code ActivityAttributes} type (start only), or null. */
    public String attributesType() {
        return attributesType;
    }

    /** Returns the static attributes (start only) as an unmodifiable map, or null. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** Returns when the system removes the ended Live Activity, or null. */
    public Instant dismissalDate() {
        return dismissalDate;
    }

    /** Returns true when the started activity should report an update push token. */
    public boolean inputPushToken() {
        return inputPushToken;
    }

    /** Returns the broadcast channel id the started activity subscribes to, or null. */
    public String inputPushChannel() {
        return inputPushChannel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LiveActivity other
                && event == other.event
                && timestamp.equals(other.timestamp)
                && Objects.equals(contentState, other.contentState)
                && Objects.equals(attributesType, other.attributesType)
                && Objects.equals(attributes, other.attributes)
                && Objects.equals(dismissalDate, other.dismissalDate)
                && inputPushToken == other.inputPushToken
                && Objects.equals(inputPushChannel, other.inputPushChannel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                event,
                timestamp,
                contentState,
                attributesType,
                attributes,
                dismissalDate,
                inputPushToken,
                inputPushChannel);
    }

    @Override
    public String toString() {
        return "LiveActivity{event=" + event.value() + ", timestamp=" + timestamp + ", contentState=" + contentState
                + "}";
    }

    /** Builds a {@link LiveActivity}; start with {@link LiveActivity#update()} and its siblings. */
    public static final class Builder {
        private final LiveActivityEvent event;
        private Instant timestamp;
        private Map<String, Object> contentState;
        private String attributesType;
        private Map<String, Object> attributes;
        private Instant dismissalDate;
        private boolean inputPushToken;
        private String inputPushChannel;

        private Builder(LiveActivityEvent event) {
            this.event = event;
        }

        /** Sets when the content was current; required (the device ignores older updates). */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /**
         * Sets the content-state: a {@code Map}, a record or a bean matching the app's {@code ContentState}; required
         * for start and update.
         *
         * @throws IllegalArgumentException if it does not convert to a JSON object
         */
        public Builder contentState(Object contentState) {
            this.contentState = contentState == null ? null : JsonValues.copyObject("content-state", contentState);
            return this;
        }

        /** Sets the name of the app's {@code ActivityAttributes} type; required for start. */
        public Builder attributesType(String attributesType) {
            this.attributesType = attributesType;
            return this;
        }

        /**
         * Sets the static attributes of the activity (a {@code Map}, a record or a bean); required for start.
         *
         * @throws IllegalArgumentException if they do not convert to a JSON object
         */
        public Builder attributes(Object attributes) {
            this.attributes = attributes == null ? null : JsonValues.copyObject("attributes", attributes);
            return this;
        }

        /** Sets when the system removes the activity from the Lock Screen after it ended. */
        public Builder dismissalDate(Instant dismissalDate) {
            this.dismissalDate = dismissalDate;
            return this;
        }

        /** Asks the started activity to report its update push token ({@code input-push-token: 1}). */
        public Builder inputPushToken(boolean inputPushToken) {
            this.inputPushToken = inputPushToken;
            return this;
        }

        /**
         * Subscribes the started activity to a broadcast channel ({@code input-push-channel}, iOS 18); exclusive with
         * {@link #inputPushToken(boolean)}.
         */
        public Builder inputPushChannel(String channelId) {
            this.inputPushChannel = channelId;
            return this;
        }

        /**
         * Builds the Live Activity part.
         *
         * @throws IllegalArgumentException if a field the event requires is missing, or a start-only field is set on
         *     another event
         */
        public LiveActivity build() {
            String name = "a Live Activity " + event.value();
            if (timestamp == null) {
                throw new IllegalArgumentException(name + " needs a timestamp (the device ignores"
                        + " updates older than the one it shows): call timestamp(Instant)");
            }
            if (contentState == null && event != LiveActivityEvent.END) {
                throw new IllegalArgumentException(name + " needs a content-state: call contentState(..)");
            }
            if (event == LiveActivityEvent.START) {
                if (attributesType == null || attributesType.isEmpty()) {
                    throw new IllegalArgumentException(name + " needs attributes-type, the name of the"
                            + " app's ActivityAttributes type: call attributesType(..)");
                }
                if (attributes == null) {
                    throw new IllegalArgumentException(name + " needs attributes: call attributes(..)");
                }
            } else {
                if (attributesType != null || attributes != null) {
                    throw new IllegalArgumentException(
                            "attributes-type and attributes belong to a start" + " event only, not to " + name);
                }
                if (inputPushToken || inputPushChannel != null) {
                    throw new IllegalArgumentException("input-push-token and input-push-channel belong to"
                            + " a start event only, not to " + name);
                }
            }
            if (inputPushChannel != null && inputPushChannel.isEmpty()) {
                throw new IllegalArgumentException("input-push-channel must not be empty");
            }
            if (inputPushToken && inputPushChannel != null) {
                // ActivityKit: an activity gets its updates either by its own push token or over a channel
                throw new IllegalArgumentException("a Live Activity start takes input-push-token or input-push-channel,"
                        + " not both: updates come either to the activity's own push token or over the broadcast"
                        + " channel");
            }
            return new LiveActivity(this);
        }
    }
}
