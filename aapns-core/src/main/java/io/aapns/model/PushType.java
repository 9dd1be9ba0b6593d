package io.aapns.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code apns-push-type} header, with what goes with each type: the largest payload APNs accepts and the suffix
 * Apple requires on the {@code apns-topic} (the app's bundle id).
 */
public enum PushType {

    /** Shows an alert, plays a sound or sets the badge. */
    ALERT("alert", 4096, ""),

    /** Wakes the app in the background ({@code content-available} only); priority 5. */
    BACKGROUND("background", 4096, ""),

    /** Asks a Location Push Service Extension for the device's location. */
    LOCATION("location", 4096, ".location-query"),

    /** A PushKit VoIP call. */
    VOIP("voip", 5120, ".voip"),

    /** Updates a watchOS complication. */
    COMPLICATION("complication", 4096, ".complication"),

    /** Signals a File Provider extension that content changed. */
    FILEPROVIDER("fileprovider", 4096, ".pushkit.fileprovider"),

    /** Tells a managed device to contact its MDM server; the topic is the MDM certificate's. */
    MDM("mdm", 4096, ""),

    /** Starts, updates or ends a Live Activity. */
    LIVEACTIVITY("liveactivity", 4096, ".push-type.liveactivity"),

    /** A Push to Talk update. */
    PUSHTOTALK("pushtotalk", 4096, ".voip-ptt"),

    /** Reloads WidgetKit widgets (iOS 26): payload {@code {"aps":{"content-changed":true}}}. */
    WIDGETS("widgets", 4096, "");

    private final String headerValue;
    private final int maxPayloadBytes;
    private final String topicSuffix;

    PushType(String headerValue, int maxPayloadBytes, String topicSuffix) {
        this.headerValue = headerValue;
        this.maxPayloadBytes = maxPayloadBytes;
        this.topicSuffix = topicSuffix;
    }

    /** Returns the value of the {@code apns-push-type} header, such as {@code "alert"}. */
    public String headerValue() {
        return headerValue;
    }

    /** Returns the largest payload APNs accepts for this type, in bytes: 4096, or 5120 for VoIP. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Returns the suffix Apple requires after the bundle id in {@code apns-topic}, such as {@code ".voip"}; empty when
     * the topic is the bundle id itself.
     */
    public String topicSuffix() {
        return topicSuffix;
    }

    /**
     * Returns the topic for this push type: the bundle id with the required suffix appended, unless it already ends
     * with it. {@code VOIP.topicFor("com.example.app")} is {@code "com.example.app.voip"}. It does not validate:
     * {@code ApnsClient} checks the whole topic it sends (characters, at most 255).
     */
    public String topicFor(String bundleId) {
        Objects.requireNonNull(bundleId, "bundleId");
        if (topicSuffix.isEmpty() || bundleId.endsWith(topicSuffix)) {
            return bundleId;
        }
        return bundleId + topicSuffix;
    }

    /**
     * Returns the push type for a header value such as {@code "alert"} (case-insensitive).
     *
     * @throws IllegalArgumentException if APNs has no such push type
     */
    public static PushType fromHeaderValue(String value) {
        if (value != null) {
            String lower = value.trim().toLowerCase(Locale.ROOT);
            for (PushType type : values()) {
                if (type.headerValue.equals(lower)) {
                    return type;
                }
            }
        }
        throw new IllegalArgumentException("unknown apns-push-type '" + value + "': use one of"
                + " alert, background, location, voip, complication, fileprovider, mdm, liveactivity,"
                + " pushtotalk, widgets");
    }

    /**
     * Infers the push type from what a notification carries, where that is obvious: a Live Activity event is
     * {@link #LIVEACTIVITY}; {@code content-changed} is {@link #WIDGETS}; an alert, badge or sound is {@link #ALERT};
     * {@code content-available} alone is {@link #BACKGROUND}. Empty for a raw JSON payload or a notification with only
     * custom keys (VoIP, location, MDM and the like): the sender must say.
     */
    public static Optional<PushType> inferFrom(Notification notification) {
        if (notification.isRaw()) {
            return Optional.empty();
        }
        if (notification.liveActivity() != null) {
            return Optional.of(LIVEACTIVITY);
        }
        if (notification.contentChanged()) {
            return Optional.of(WIDGETS);
        }
        if (notification.alert() != null
                || notification.alertText() != null
                || notification.badge() != null
                || notification.sound() != null) {
            return Optional.of(ALERT);
        }
        if (notification.contentAvailable()) {
            return Optional.of(BACKGROUND);
        }
        return Optional.empty();
    }
}
