package io.aapns.internal;

import io.aapns.model.LiveActivityEvent;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.util.Locale;

/**
 * The checks made before a notification is sent, so that bad input fails fast with an {@link IllegalArgumentException}
 * that says what to fix, instead of a round trip to APNs: device token (hex, at most {@value #MAX_DEVICE_TOKEN_DIGITS}
 * digits), payload size per push type, collapse id and topic (visible ASCII that can go out as a header value
 * unchanged, within their lengths), priority.
 */
public final class Validation {

    /** The largest {@code apns-collapse-id} APNs accepts, in UTF-8 bytes. */
    public static final int MAX_COLLAPSE_ID_BYTES = HeaderValues.MAX_COLLAPSE_ID_BYTES;

    /**
     * The most hex digits a device token may have here: Apple's tokens are 64 digits (32 bytes); the bound is generous
     * so that longer tokens Apple may issue still pass, while a run-away value cannot overflow the server's header
     * limit.
     */
    public static final int MAX_DEVICE_TOKEN_DIGITS = 200;

    /** The longest {@code apns-topic} (a bundle id, without the push type's suffix) accepted, in characters. */
    public static final int MAX_TOPIC_LENGTH = HeaderValues.MAX_TOPIC_LENGTH;

    /** The largest broadcast payload APNs accepts, in bytes (Apple: 5 KB, larger gives 413 PayloadTooLarge). */
    public static final int MAX_BROADCAST_PAYLOAD_BYTES = 5120;

    /**
     * The longest channel id accepted here. Apple's ids are short base64 strings and Apple makes no promise of their
     * length; the bound only keeps a run-away value from overflowing the server's header limit.
     */
    public static final int MAX_CHANNEL_ID_LENGTH = 1024;

    private Validation() {}

    /**
     * Checks a broadcast channel id: present, base64 ({@code A-Z a-z 0-9 + / =}, the URL-safe {@code - _} too), at most
     * {@link #MAX_CHANNEL_ID_LENGTH} characters.
     *
     * @return the channel id
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkChannelId(String channelId) {
        if (channelId == null || channelId.isEmpty()) {
            throw new IllegalArgumentException("no channel id: pass the id ApnsChannels.create returned");
        }
        if (channelId.length() > MAX_CHANNEL_ID_LENGTH) {
            throw new IllegalArgumentException("the channel id has " + channelId.length() + " characters, more than "
                    + MAX_CHANNEL_ID_LENGTH + ": is it a channel id?");
        }
        for (int i = 0; i < channelId.length(); i++) {
            char c = channelId.charAt(i);
            boolean base64 = (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '+'
                    || c == '/'
                    || c == '='
                    || c == '-'
                    || c == '_';
            if (!base64) {
                throw new IllegalArgumentException("the channel id " + quoted(channelId) + " has "
                        + String.format(Locale.ROOT, "U+%04X", (int) c) + " at index " + i
                        + ": a channel id is base64, as APNs returned it in apns-channel-id");
            }
        }
        return channelId;
    }

    /**
     * Checks that a notification can be broadcast: a Live Activity update or end (a broadcast cannot start an
     * activity), or a raw JSON payload (the sender's responsibility), at most {@link #MAX_BROADCAST_PAYLOAD_BYTES}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkBroadcast(Notification notification) {
        if (!notification.isRaw()) {
            if (notification.liveActivity() == null) {
                throw new IllegalArgumentException("a broadcast updates or ends a Live Activity: give the notification"
                        + " a LiveActivity.update() or LiveActivity.end() (broadcast is for Live Activities only)");
            }
            if (notification.liveActivity().event() == LiveActivityEvent.START) {
                throw new IllegalArgumentException("a broadcast cannot start a Live Activity: start it in the app"
                        + " with the channel, or by a push-to-start to a device token with"
                        + " LiveActivity.Builder.inputPushChannel(channelId)");
            }
        }
        int size = notification.payloadSize();
        if (size > MAX_BROADCAST_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("the payload is " + size + " bytes, over the "
                    + MAX_BROADCAST_PAYLOAD_BYTES + "-byte limit of a broadcast: shorten the content-state or alert");
        }
    }

    /**
     * Returns the device token as APNs expects it in the request path: lowercase hex. Spaces and angle brackets are
     * removed first, since tokens are often pasted as printed by {@code NSData}: {@code <740f4707 bebcf74f ...>}.
     *
     * @throws IllegalArgumentException if the token is null, empty, has a character that is not a hex digit, an odd
     *     number of digits, or more than {@link #MAX_DEVICE_TOKEN_DIGITS}
     */
    public static String normalizeDeviceToken(String token) {
        if (token == null) {
            throw new IllegalArgumentException("the device token is null");
        }
        StringBuilder sb = new StringBuilder(Math.min(token.length(), MAX_DEVICE_TOKEN_DIGITS));
        int digits = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ' ' || c == '<' || c == '>' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            if (!isHexDigit(c)) {
                throw new IllegalArgumentException("the device token " + quoted(token)
                        + " has '" + c + "' at index " + i + ": a device token is hex digits (0-9, a-f),"
                        + " as the app got it from didRegisterForRemoteNotificationsWithDeviceToken");
            }
            digits++;
            if (digits <= MAX_DEVICE_TOKEN_DIGITS) {
                sb.append(c);
            }
        }
        if (digits > MAX_DEVICE_TOKEN_DIGITS) {
            throw new IllegalArgumentException("the device token " + quoted(token) + " has " + digits
                    + " hex digits, more than " + MAX_DEVICE_TOKEN_DIGITS + " hex digits that a device token may"
                    + " have here (Apple's are 64): is it a device token?");
        }
        if (sb.length() == 0) {
            throw new IllegalArgumentException("the device token is empty");
        }
        if (sb.length() % 2 != 0) {
            throw new IllegalArgumentException("the device token " + quoted(token) + " has "
                    + sb.length() + " hex digits: a device token is whole bytes, an even number of digits"
                    + " (usually 64); was it cut short?");
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String quoted(String token) {
        return HeaderValues.quoted(token);
    }

    /**
     * Checks a payload's size against the push type's limit (4096 bytes, 5120 for VoIP).
     *
     * @throws IllegalArgumentException naming the size and the limit if it is over
     */
    public static void checkPayloadSize(int sizeInBytes, PushType pushType) {
        int limit = pushType.maxPayloadBytes();
        if (sizeInBytes > limit) {
            throw new IllegalArgumentException("the payload is " + sizeInBytes + " bytes, over the "
                    + limit + "-byte limit of push type " + pushType.headerValue()
                    + ": shorten the text or custom keys");
        }
    }

    /**
     * Checks a notification's payload size against the push type's limit.
     *
     * @throws IllegalArgumentException naming the size and the limit if it is over
     */
    public static void checkPayloadSize(Notification notification, PushType pushType) {
        checkPayloadSize(notification.payloadSize(), pushType);
    }

    /** Checks an {@code apns-collapse-id}; see {@link HeaderValues#checkCollapseId}. */
    public static String checkCollapseId(String collapseId) {
        return HeaderValues.checkCollapseId(collapseId);
    }

    /** Checks an {@code apns-topic}; see {@link HeaderValues#checkTopic}. */
    public static String checkTopic(String topic) {
        return HeaderValues.checkTopic(topic);
    }

    /**
     * Checks a notification against the rules of its push type before it is sent: the one place for them, used by
     * {@code ApnsClient.send}, the command line's dry run and the Kafka publisher. The payload fits the push type's
     * size limit ({@link #checkPayloadSize}); a background push is not priority 10 ({@link #checkPriority};
     * {@code priority} may be null for the default); a widgets or controls push built with
     * {@code Notification.builder()} carries {@code content-changed}, which is all WidgetKit reads from it (raw JSON is
     * the sender's: it is sent as written, size checked).
     *
     * <p>Sources: the size limits and the background priority are Apple's "Sending notification requests to APNs"
     * (apns-priority, and "Know when to use push types"); {@code content-changed} for widgets is from "Updating widgets
     * with WidgetKit push notifications", for controls from "Updating controls locally and remotely" (see
     * {@link PushType}).
     *
     * @throws IllegalArgumentException saying what to fix
     */
    public static void checkNotification(Notification notification, PushType pushType, Priority priority) {
        checkPayloadSize(notification, pushType);
        if (priority != null) {
            checkPriority(pushType, priority);
        }
        if ((pushType == PushType.WIDGETS || pushType == PushType.CONTROLS)
                && !notification.isRaw()
                && !notification.contentChanged()) {
            throw new IllegalArgumentException("a " + pushType.headerValue() + " push must carry content-changed"
                    + " (Notification.builder().contentChanged(true)): it is what WidgetKit reloads on");
        }
    }

    /**
     * Checks a combination of push type and priority that Apple documents as an error: a background push must not have
     * priority 10 (use 5, {@link Priority#CONSIDER_POWER}).
     *
     * @throws IllegalArgumentException for a background push with priority 10
     */
    public static void checkPriority(PushType pushType, Priority priority) {
        if (pushType == PushType.BACKGROUND && priority == Priority.IMMEDIATE) {
            throw new IllegalArgumentException("a background push (content-available only) must have"
                    + " priority 5 (CONSIDER_POWER) or 1, not 10 (IMMEDIATE)");
        }
    }
}
