package io.aapns.model;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code apns-push-type} header, with what goes with each type: the largest payload APNs accepts, the suffix Apple
 * requires on the {@code apns-topic} (the app's bundle id), and whether the type needs token authentication.
 *
 * <p>Where each rule comes from: the values, topics and the token-only rule of {@code location} are Apple's list "Know
 * when to use push types" in <a href=
 * "https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns">Sending
 * notification requests to APNs</a> (eleven values; that page prints two topics with typos, {@code h.complication} and
 * {@code push-type.liveactivity} without its dot: the forms here are the ones ActivityKit's and WatchKit's own pages
 * use). The payload limits are on the same page (4096 bytes; 5120 for VoIP). {@code widgets} is from <a href=
 * "https://developer.apple.com/documentation/widgetkit/updating-widgets-with-widgetkit-push-notifications">Updating
 * widgets with WidgetKit push notifications</a>, {@code controls} from <a href=
 * "https://developer.apple.com/documentation/widgetkit/updating-controls-locally-and-remotely">Updating controls
 * locally and remotely</a>, {@code liveactivity} from <a href=
 * "https://developer.apple.com/documentation/activitykit/starting-and-updating-live-activities-with-activitykit-push-notifications">
 * Starting and updating Live Activities with ActivityKit push notifications</a>. Broadcasts (one Live Activity update
 * to every subscriber of a channel) always use {@link #LIVEACTIVITY} and carry no topic: the bundle id is in the path.
 */
public enum PushType {

    /** Shows an alert, plays a sound or sets the badge; topic: the bundle id; priority 10 or 5. */
    ALERT("alert", 4096, "", false),

    /**
     * Wakes the app in the background ({@code content-available} only); topic: the bundle id; priority 5 or 1 (Apple
     * documents 10 as an error).
     */
    BACKGROUND("background", 4096, "", false),

    /**
     * Asks a Location Push Service Extension for the device's location; topic {@code <bundle id>.location-query}. Token
     * authentication only (Apple: "location push type supports only token-based authentication").
     */
    LOCATION("location", 4096, ".location-query", true),

    /** A PushKit VoIP call; topic {@code <bundle id>.voip}; payload up to 5120 bytes. */
    VOIP("voip", 5120, ".voip", false),

    /** Updates a watchOS complication; topic {@code <bundle id>.complication}. */
    COMPLICATION("complication", 4096, ".complication", false),

    /** Signals a File Provider extension that content changed; topic {@code <bundle id>.pushkit.fileprovider}. */
    FILEPROVIDER("fileprovider", 4096, ".pushkit.fileprovider", false),

    /** Tells a managed device to contact its MDM server; the topic is the UID of the MDM certificate's subject. */
    MDM("mdm", 4096, "", false),

    /**
     * Starts, updates or ends a Live Activity; topic {@code <bundle id>.push-type.liveactivity}. The push type of
     * broadcasts too, which send no topic.
     */
    LIVEACTIVITY("liveactivity", 4096, ".push-type.liveactivity", false),

    /** A Push to Talk update; topic {@code <bundle id>.voip-ptt}. */
    PUSHTOTALK("pushtotalk", 4096, ".voip-ptt", false),

    /**
     * Reloads WidgetKit widgets (iOS 26); topic {@code <bundle id>.push-type.widgets}; payload
     * {@code {"aps":{"content-changed":true}}}, to a token from WidgetKit's {@code WidgetPushHandler}. No broadcast.
     */
    WIDGETS("widgets", 4096, ".push-type.widgets", false),

    /**
     * Reloads one control (iOS 18); topic {@code <bundle id>.push-type.controls}; payload
     * {@code {"aps":{"content-changed":true}}}, to a token from {@code ControlPushHandler}. A content-changed
     * notification is inferred as {@link #WIDGETS}: set this type explicitly.
     */
    CONTROLS("controls", 4096, ".push-type.controls", false);

    private final String headerValue;
    private final int maxPayloadBytes;
    private final String topicSuffix;
    private final boolean tokenOnly;

    PushType(String headerValue, int maxPayloadBytes, String topicSuffix, boolean tokenOnly) {
        this.headerValue = headerValue;
        this.maxPayloadBytes = maxPayloadBytes;
        this.topicSuffix = topicSuffix;
        this.tokenOnly = tokenOnly;
    }

    /**
     * Whether APNs accepts this type only over token authentication (a {@code .p8} signing key): true for
     * {@link #LOCATION}. A client with a TLS client certificate refuses such a send before it goes out.
     */
    public boolean requiresTokenAuthentication() {
        return tokenOnly;
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
                + " pushtotalk, widgets, controls");
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
