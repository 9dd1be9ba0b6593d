package io.aapns.internal;

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

    private Validation() {}

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
