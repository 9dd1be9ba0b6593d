package io.aapns.internal;

import java.util.Locale;

/**
 * The rules for header values that go out as they are given: {@code apns-topic} and {@code apns-collapse-id}. They need
 * nothing of the model, so that the model (a push type's topic) can use them without a circle.
 */
public final class HeaderValues {

    /** APNs's limit on {@code apns-collapse-id}, in bytes. */
    public static final int MAX_COLLAPSE_ID_BYTES = 64;

    /** The longest {@code apns-topic} accepted: a bundle id with a suffix is far shorter. */
    public static final int MAX_TOPIC_LENGTH = 255;

    private HeaderValues() {}

    /**
     * Checks an {@code apns-collapse-id}: null (none) is fine; otherwise not empty, visible ASCII (0x21-0x7e) with
     * spaces allowed inside but not at either end, and at most 64 bytes. A character outside ASCII would go out as one
     * Latin-1 byte while APNs counts UTF-8, and a control character makes a strict server reset the stream: both are
     * refused here.
     *
     * @return the collapse id
     * @throws IllegalArgumentException if it is empty, too long or has a character that cannot be sent, naming the
     *     character and its index
     */
    public static String checkCollapseId(String collapseId) {
        if (collapseId == null) {
            return null;
        }
        if (collapseId.isEmpty()) {
            throw new IllegalArgumentException("the collapse id is empty: leave it unset instead");
        }
        checkHeaderValue("apns-collapse-id", collapseId, true, "");
        int bytes = collapseId.length(); // ASCII by now: one byte per character
        if (bytes > MAX_COLLAPSE_ID_BYTES) {
            throw new IllegalArgumentException("the collapse id is " + bytes + " bytes, over" + " APNs's limit of "
                    + MAX_COLLAPSE_ID_BYTES + ": use a shorter id, or a hash of it");
        }
        return collapseId;
    }

    /**
     * Checks that {@code value} can go out as the value of header {@code name} unchanged: visible ASCII (0x21-0x7e),
     * with spaces (0x20) allowed inside when {@code innerSpaces} is true, never at either end.
     *
     * @param hint appended to the message: what such a value looks like
     * @throws IllegalArgumentException naming the header and the first character that is wrong
     */
    private static void checkHeaderValue(String name, String value, boolean innerSpaces, String hint) {
        int last = value.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c > ' ' && c < 0x7f) {
                continue;
            }
            if (c == ' ' && innerSpaces) {
                if (i == 0 || i == last) {
                    throw new IllegalArgumentException(
                            name + " must not begin or end with a space: " + quoted(value) + hint);
                }
                continue;
            }
            throw new IllegalArgumentException(name + " must be visible ASCII ("
                    + (innerSpaces ? "0x21-0x7e, spaces only inside" : "0x21-0x7e, no spaces")
                    + "): found " + String.format(Locale.ROOT, "U+%04X", value.codePointAt(i)) + " at index " + i
                    + hint);
        }
    }

    /**
     * Checks an {@code apns-topic}: present (mandatory with token auth), at most {@link #MAX_TOPIC_LENGTH} characters,
     * and one word of visible ASCII (0x21-0x7e, no spaces) such as {@code com.example.app}.
     *
     * @return the topic
     * @throws IllegalArgumentException if it is missing, blank, too long or has a space, control or non-ASCII character
     *     (named, with its index)
     */
    public static String checkTopic(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(
                    "no topic: set the app's bundle id (apns-topic) as the" + " client's default topic or on the send");
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("the topic " + quoted(topic) + " has " + topic.length()
                    + " characters, more than the " + MAX_TOPIC_LENGTH + " allowed: a topic is a bundle id"
                    + " such as com.example.app");
        }
        checkHeaderValue(
                "apns-topic",
                topic,
                false,
                " in " + quoted(topic) + ": a topic is a bundle id such as" + " com.example.app");
        return topic;
    }

    /**
     * Checks the bundle id of a broadcast or channel management path ({@code /4/broadcasts/apps/<bundle id>},
     * {@code /1/apps/<bundle id>/...}): a topic ({@link #checkTopic}) without a push-type suffix, which APNs refuses
     * there with TopicDisallowed, and without characters that would change the path.
     *
     * @return the bundle id
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String checkBundleId(String bundleId) {
        checkTopic(bundleId);
        if (bundleId.contains(".push-type.")
                || bundleId.contains("/")
                || bundleId.contains("?")
                || bundleId.contains("#")
                || bundleId.contains("%")) {
            throw new IllegalArgumentException("a broadcast or channel request names the app by its bare bundle id"
                    + " (com.example.app), without a push-type suffix or path characters: " + quoted(bundleId));
        }
        return bundleId;
    }

    static String quoted(String token) {
        return "'" + (token.length() > 80 ? token.substring(0, 80) + "..." : token) + "'";
    }
}
