package io.aapns.model;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a push notification says: the {@code aps} dictionary Apple defines (alert, badge, sound, background and widget
 * flags, Live Activity fields...) and the app's own top-level keys. Immutable and safe to share: build it once and send
 * it to many devices.
 *
 * <pre>{@code
 * Notification n = Notification.builder()
 *     .alert(Alert.builder().title("Hi").body(Localized.of("GREETING", "Bob")).build())
 *     .badge(0)
 *     .sound("default")
 *     .customKey("conversation", 42)
 *     .build();
 * }</pre>
 *
 * <p>Its JSON payload ({@link #payload()}) is compact, spells keys as Apple does, puts them in a fixed order, and is
 * encoded once, on first use. Those who build their own JSON use {@link #ofJson(String)}.
 *
 * <p>Request attributes that travel as headers (push type, priority, expiration, collapse id, topic) are not part of
 * the notification.
 */
public final class Notification {

    private final byte[] raw;
    private final String alertText;
    private final Alert alert;
    private final Integer badge;
    private final Sound sound;
    private final String threadId;
    private final String category;
    private final boolean contentAvailable;
    private final boolean mutableContent;
    private final String targetContentId;
    private final InterruptionLevel interruptionLevel;
    private final Double relevanceScore;
    private final String filterCriteria;
    private final Instant staleDate;
    private final boolean contentChanged;
    private final LiveActivity liveActivity;
    private final Map<String, Object> customKeys;

    /** The encoded payload, made on first use; a benign race may encode it twice. */
    private volatile byte[] encoded;

    private Notification(Builder b) {
        this.raw = null;
        this.alertText = b.alertText;
        this.alert = b.alert;
        this.badge = b.badge;
        this.sound = b.sound;
        this.threadId = b.threadId;
        this.category = b.category;
        this.contentAvailable = b.contentAvailable;
        this.mutableContent = b.mutableContent;
        this.targetContentId = b.targetContentId;
        this.interruptionLevel = b.interruptionLevel;
        this.relevanceScore = b.relevanceScore;
        this.filterCriteria = b.filterCriteria;
        this.staleDate = b.staleDate;
        this.contentChanged = b.contentChanged;
        this.liveActivity = b.liveActivity;
        this.customKeys = Collections.unmodifiableMap(new LinkedHashMap<>(b.customKeys));
    }

    private Notification(byte[] raw) {
        this.raw = raw;
        this.encoded = raw;
        this.alertText = null;
        this.alert = null;
        this.badge = null;
        this.sound = null;
        this.threadId = null;
        this.category = null;
        this.contentAvailable = false;
        this.mutableContent = false;
        this.targetContentId = null;
        this.interruptionLevel = null;
        this.relevanceScore = null;
        this.filterCriteria = null;
        this.staleDate = null;
        this.contentChanged = false;
        this.liveActivity = null;
        this.customKeys = Map.of();
    }

    /** Returns a builder of a notification. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a notification whose payload is the given JSON, sent byte for byte as UTF-8. For those who build their
     * own payload; its push type cannot be inferred.
     *
     * @throws IllegalArgumentException unless the text is one well-formed JSON object
     */
    public static Notification ofJson(String json) {
        Objects.requireNonNull(json, "json");
        return ofJson(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns a notification whose payload is the given UTF-8 JSON (the array is copied).
     *
     * @throws IllegalArgumentException unless the bytes are one well-formed JSON object
     */
    public static Notification ofJson(byte[] json) {
        Objects.requireNonNull(json, "json");
        byte[] copy = json.clone();
        NotificationEncoder.checkJsonObject(copy);
        return new Notification(copy);
    }

    /** Returns a builder that starts with this notification's fields. */
    public Builder toBuilder() {
        if (raw != null) {
            throw new IllegalStateException("a notification made with ofJson has no fields to build on");
        }
        Builder b = new Builder();
        b.alertText = alertText;
        b.alert = alert;
        b.badge = badge;
        b.sound = sound;
        b.threadId = threadId;
        b.category = category;
        b.contentAvailable = contentAvailable;
        b.mutableContent = mutableContent;
        b.targetContentId = targetContentId;
        b.interruptionLevel = interruptionLevel;
        b.relevanceScore = relevanceScore;
        b.filterCriteria = filterCriteria;
        b.staleDate = staleDate;
        b.contentChanged = contentChanged;
        b.liveActivity = liveActivity;
        b.customKeys.putAll(customKeys);
        return b;
    }

    /** Returns true if this notification was made from raw JSON with {@link #ofJson(String)}. */
    public boolean isRaw() {
        return raw != null;
    }

    /** Returns the alert given as plain text ({@code "alert":"text"}), or null. */
    public String alertText() {
        return alertText;
    }

    /** Returns the alert given as a dictionary, or null. */
    public Alert alert() {
        return alert;
    }

    /** Returns the badge number (0 removes the badge), or null to leave it unchanged. */
    public Integer badge() {
        return badge;
    }

    /** Returns the sound, or null for a silent notification. */
    public Sound sound() {
        return sound;
    }

    /** Returns the thread id that groups notifications, or null. */
    public String threadId() {
        return threadId;
    }

    /** Returns the category (the app's registered actions), or null. */
    public String category() {
        return category;
    }

    /** Returns true if the notification wakes the app in the background. */
    public boolean contentAvailable() {
        return contentAvailable;
    }

    /** Returns true if a notification service extension may modify the notification. */
    public boolean mutableContent() {
        return mutableContent;
    }

    /** Returns the id of the window brought forward when the notification is opened, or null. */
    public String targetContentId() {
        return targetContentId;
    }

    /** Returns the interruption level, or null for the default (active). */
    public InterruptionLevel interruptionLevel() {
        return interruptionLevel;
    }

    /** Returns the relevance score (notification summary ordering, Live Activity), or null. */
    public Double relevanceScore() {
        return relevanceScore;
    }

    /** Returns the Focus filter criteria, or null. */
    public String filterCriteria() {
        return filterCriteria;
    }

    /** Returns when a Live Activity's content becomes stale, or null. */
    public Instant staleDate() {
        return staleDate;
    }

    /** Returns true if this is a WidgetKit reload ({@code content-changed}, push type widgets). */
    public boolean contentChanged() {
        return contentChanged;
    }

    /** Returns the Live Activity part, or null. */
    public LiveActivity liveActivity() {
        return liveActivity;
    }

    /** Returns the app's own top-level keys in the order they were added; never contains aps. */
    public Map<String, Object> customKeys() {
        return customKeys;
    }

    /** Returns the JSON payload as UTF-8 bytes (a fresh copy). */
    public byte[] payload() {
        return encoded().clone();
    }

    /** Returns the size of the JSON payload in bytes, as APNs counts it. */
    public int payloadSize() {
        return encoded().length;
    }

    /** Writes the JSON payload into the buffer (for example a pooled one) at its writer index. */
    public void writePayloadTo(ByteBuf buffer) {
        buffer.writeBytes(encoded());
    }

    /** Returns the JSON payload as a string. */
    public String toJson() {
        return new String(encoded(), StandardCharsets.UTF_8);
    }

    private byte[] encoded() {
        byte[] bytes = encoded;
        if (bytes == null) {
            bytes = NotificationEncoder.encode(this);
            encoded = bytes;
        }
        return bytes;
    }

    /** Returns the raw JSON given to {@link #ofJson}, not copied; null for a built one. */
    byte[] rawPayload() {
        return raw;
    }

    /** Two notifications are equal when their JSON payloads are the same bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Notification other && Arrays.equals(encoded(), other.encoded());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded());
    }

    /** Returns {@code Notification} followed by the JSON payload. */
    @Override
    public String toString() {
        return "Notification" + toJson();
    }

    /**
     * Builds a {@link Notification}. Every field is optional, but a notification needs at least one; null clears a
     * field.
     */
    public static final class Builder {
        private String alertText;
        private Alert alert;
        private Integer badge;
        private Sound sound;
        private String threadId;
        private String category;
        private boolean contentAvailable;
        private boolean mutableContent;
        private String targetContentId;
        private InterruptionLevel interruptionLevel;
        private Double relevanceScore;
        private String filterCriteria;
        private Instant staleDate;
        private boolean contentChanged;
        private LiveActivity liveActivity;
        private final Map<String, Object> customKeys = new LinkedHashMap<>();

        private Builder() {}

        /** Sets the alert as plain text, sent as {@code "alert":"text"}; replaces an Alert. */
        public Builder alert(String text) {
            this.alertText = text;
            this.alert = null;
            return this;
        }

        /** Sets the alert as a dictionary (title, subtitle, body, launch image); replaces a text. */
        public Builder alert(Alert alert) {
            this.alert = alert;
            this.alertText = null;
            return this;
        }

        /**
         * Sets the badge number; 0 removes the badge (and is sent, not dropped).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder badge(int badge) {
            if (badge < 0) {
                throw new IllegalArgumentException("badge must be 0 or more, not " + badge + " (0 removes the badge)");
            }
            this.badge = badge;
            return this;
        }

        /** Removes the badge field, so the app's badge stays as it is. */
        public Builder noBadge() {
            this.badge = null;
            return this;
        }

        /** Sets the sound by file name, or {@code "default"} for the system sound. */
        public Builder sound(String name) {
            this.sound = name == null ? null : Sound.named(name);
            return this;
        }

        /** Sets the sound, such as {@link Sound#critical(String, double)}. */
        public Builder sound(Sound sound) {
            this.sound = sound;
            return this;
        }

        /** Sets the thread id that groups notifications together. */
        public Builder threadId(String threadId) {
            this.threadId = threadId;
            return this;
        }

        /** Sets the category, the identifier of actions the app registered. */
        public Builder category(String category) {
            this.category = category;
            return this;
        }

        /** Wakes the app in the background ({@code content-available: 1}). */
        public Builder contentAvailable(boolean contentAvailable) {
            this.contentAvailable = contentAvailable;
            return this;
        }

        /** Lets a notification service extension modify it ({@code mutable-content: 1}). */
        public Builder mutableContent(boolean mutableContent) {
            this.mutableContent = mutableContent;
            return this;
        }

        /** Sets the id of the window or content brought forward when it is opened. */
        public Builder targetContentId(String targetContentId) {
            this.targetContentId = targetContentId;
            return this;
        }

        /** Sets the interruption level, sent in the {@code aps} payload. */
        public Builder interruptionLevel(InterruptionLevel interruptionLevel) {
            this.interruptionLevel = interruptionLevel;
            return this;
        }

        /**
         * Sets the relevance score: 0.0 to 1.0 to order a notification summary; any number to rank Live Activities.
         *
         * @throws IllegalArgumentException if NaN or infinite
         */
        public Builder relevanceScore(double relevanceScore) {
            if (Double.isNaN(relevanceScore) || Double.isInfinite(relevanceScore)) {
                throw new IllegalArgumentException("relevance-score must be a finite number, not " + relevanceScore);
            }
            this.relevanceScore = relevanceScore;
            return this;
        }

        /** Removes the relevance score. */
        public Builder noRelevanceScore() {
            this.relevanceScore = null;
            return this;
        }

        /** Sets the Focus filter criteria the app defined. */
        public Builder filterCriteria(String filterCriteria) {
            this.filterCriteria = filterCriteria;
            return this;
        }

        /** Sets when a Live Activity's content becomes outdated (epoch seconds in the payload). */
        public Builder staleDate(Instant staleDate) {
            this.staleDate = staleDate;
            return this;
        }

        /** Marks a WidgetKit reload ({@code "content-changed":true}, push type widgets). */
        public Builder contentChanged(boolean contentChanged) {
            this.contentChanged = contentChanged;
            return this;
        }

        /** Sets the Live Activity part (event, timestamp, content-state...). */
        public Builder liveActivity(LiveActivity liveActivity) {
            this.liveActivity = liveActivity;
            return this;
        }

        /**
         * Adds a top-level key of the app's own, next to {@code aps}. The value may be null, a string, number, boolean,
         * {@code Map}, {@code List}, array, record or bean; it is turned into JSON now, so later changes to it are not
         * seen. Adding a key again replaces it; keys keep the order they were first added in.
         *
         * @throws IllegalArgumentException if the key is {@code "aps"}, which belongs to Apple, or the value cannot be
         *     turned into JSON
         */
        public Builder customKey(String key, Object value) {
            Objects.requireNonNull(key, "key");
            if ("aps".equals(key)) {
                throw new IllegalArgumentException("the custom key \"aps\" is reserved for Apple's"
                        + " payload: set alert, badge, sound and the rest with the builder's methods, or"
                        + " put your data under another key");
            }
            customKeys.put(key, JsonValues.copy("custom key \"" + key + "\"", value));
            return this;
        }

        /**
         * Adds several top-level keys of the app's own, in the map's iteration order; see {@link #customKey(String,
         * Object)}.
         */
        public Builder customKeys(Map<String, ?> keys) {
            keys.forEach(this::customKey);
            return this;
        }

        /** Removes a top-level key added with {@link #customKey(String, Object)}. */
        public Builder removeCustomKey(String key) {
            customKeys.remove(key);
            return this;
        }

        /**
         * Builds the notification.
         *
         * @throws IllegalArgumentException if nothing at all was set
         */
        public Notification build() {
            if (alertText == null
                    && alert == null
                    && badge == null
                    && sound == null
                    && threadId == null
                    && category == null
                    && !contentAvailable
                    && !mutableContent
                    && targetContentId == null
                    && interruptionLevel == null
                    && relevanceScore == null
                    && filterCriteria == null
                    && staleDate == null
                    && !contentChanged
                    && liveActivity == null
                    && customKeys.isEmpty()) {
                throw new IllegalArgumentException("the notification is empty: set an alert, a badge,"
                        + " a sound, contentAvailable, contentChanged, a Live Activity or custom keys");
            }
            return new Notification(this);
        }
    }
}
