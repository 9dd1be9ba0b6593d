package io.aapns.model;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
  * The checks made before a notification is sent, so that bad input fails fast with an
  * {@link IllegalArgumentException} that says what to fix, instead of a round trip to APNs:
  * device token, payload size per push type, collapse id, topic, priority.
  */
public final class Validation {

    /** The largest {@code apns-collapse-id} APNs accepts, in UTF-8 bytes. */
    public static final int MAX_COLLAPSE_ID_BYTES = 64;

    private Validation() {
    }

    /**
      * Returns the device token as APNs expects it in the request path: lowercase hex. Spaces
      * and angle brackets are removed first, since tokens are often pasted as printed by
      * {@code NSData}: {@code <740f4707 bebcf74f ...>}.
      *
      * @throws IllegalArgumentException if the token is null, empty, has a character that is
      *     not a hex digit, or an odd number of digits
      */
    public static String normalizeDeviceToken(String token) {
        if (token == null) {
            throw new IllegalArgumentException("the device token is null");
        }
        StringBuilder sb = new StringBuilder(token.length());
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
            sb.append(c);
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
        return "'" + (token.length() > 80 ? token.substring(0, 80) + "..." : token) + "'";
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

    /**
      * Checks an {@code apns-collapse-id}: null (none) is fine; otherwise not empty and at most
      * 64 bytes in UTF-8.
      *
      * @return the collapse id
      * @throws IllegalArgumentException if it is empty or too long
      */
    public static String checkCollapseId(String collapseId) {
        if (collapseId == null) {
            return null;
        }
        if (collapseId.isEmpty()) {
            throw new IllegalArgumentException("the collapse id is empty: leave it unset instead");
        }
        int bytes = collapseId.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_COLLAPSE_ID_BYTES) {
            throw new IllegalArgumentException("the collapse id is " + bytes + " bytes in UTF-8, over"
                    + " APNs's limit of " + MAX_COLLAPSE_ID_BYTES + ": use a shorter id, or a hash of it");
        }
        return collapseId;
    }

    /**
      * Checks an {@code apns-topic}: present (mandatory with token auth), and one header-safe
      * word such as {@code com.example.app}.
      *
      * @return the topic
      * @throws IllegalArgumentException if it is missing, blank or has whitespace or control
      *     characters
      */
    public static String checkTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("no topic: set the app's bundle id (apns-topic) as the"
                    + " client's default topic or on the send");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("the topic " + quoted(topic) + " has a space, control"
                        + " or non-ASCII character at index " + i + ": a topic is a bundle id such as"
                        + " com.example.app");
            }
        }
        return topic;
    }

    /**
      * Checks a combination of push type and priority that Apple documents as an error: a
      * background push must not have priority 10 (use 5, {@link Priority#CONSIDER_POWER}).
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
