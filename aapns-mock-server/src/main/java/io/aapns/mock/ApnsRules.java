package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * APNs' validation of one {@code POST /3/device/<token>} request, in the order the mock server applies it. Each rule
 * answers with Apple's status and reason string.
 */
final class ApnsRules {

    static final String DEVICE_PATH = "/3/device/";
    static final int MAX_PAYLOAD = 4096;
    static final int MAX_VOIP_PAYLOAD = 5120;
    static final int MAX_COLLAPSE_ID_BYTES = 64;

    /** Push types Apple documents (eleven), with the topic suffix each requires. */
    static final Map<String, String> PUSH_TYPE_SUFFIXES = Map.ofEntries(
            Map.entry("alert", ""),
            Map.entry("background", ""),
            Map.entry("location", ".location-query"),
            Map.entry("voip", ".voip"),
            Map.entry("complication", ".complication"),
            Map.entry("fileprovider", ".pushkit.fileprovider"),
            Map.entry("mdm", ""),
            Map.entry("liveactivity", ".push-type.liveactivity"),
            Map.entry("pushtotalk", ".voip-ptt"),
            Map.entry("widgets", ".push-type.widgets"),
            Map.entry("controls", ".push-type.controls"));

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,12}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApnsRules() {}

    /** The device token in {@code path}, or null if the path names none. */
    static String deviceToken(String path) {
        if (path != null && path.startsWith(DEVICE_PATH) && path.length() > DEVICE_PATH.length()) {
            return path.substring(DEVICE_PATH.length());
        }
        return null;
    }

    /** Method, path and header syntax: the checks that come before authentication. */
    static Verdict checkRequestLine(CharSequence method, String path, Http2Headers headers) {
        if (!"POST".contentEquals(method == null ? "" : method)) {
            return Verdict.error(405, "MethodNotAllowed");
        }
        if (path == null || !(path.startsWith(DEVICE_PATH) || path.equals("/3/device"))) {
            return Verdict.error(404, "BadPath");
        }
        String token = deviceToken(path);
        if (token == null) {
            return Verdict.error(400, "MissingDeviceToken");
        }
        if (token.length() < 64
                || token.length() > 200
                || token.length() % 2 != 0
                || !HEX.matcher(token).matches()) {
            return Verdict.error(400, "BadDeviceToken");
        }
        return duplicateHeaders(headers);
    }

    /** 400 DuplicateHeaders if a header field came twice, else null. */
    static Verdict duplicateHeaders(Http2Headers headers) {
        Set<CharSequence> seen = new HashSet<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            CharSequence name = header.getKey();
            if (name.length() > 0 && name.charAt(0) != ':' && !seen.add(name.toString())) {
                return Verdict.error(400, "DuplicateHeaders");
            }
        }
        return null;
    }

    /** Whether {@code value} is a UUID in its canonical 8-4-4-4-12 form. */
    static boolean isUuid(CharSequence value) {
        return UUID.matcher(value).matches();
    }

    /** Whether {@code value} is a bundle id (no push-type suffix check). */
    static boolean isBundleId(String value) {
        return TOPIC.matcher(value).matches();
    }

    /** Whether {@code value} is a non-negative integer of at most 12 digits. */
    static boolean isDigits(CharSequence value) {
        return DIGITS.matcher(value).matches();
    }

    /** The payload as a JSON tree, or null if it is not JSON. */
    static JsonNode json(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The {@code apns-*} headers, the topic, and the payload. */
    static Verdict checkNotification(
            Http2Headers headers, String certificateTopic, boolean tokenAuth, byte[] payload, boolean validateJson) {
        CharSequence id = headers.get("apns-id");
        if (id != null && !UUID.matcher(id).matches()) {
            return Verdict.error(400, "BadMessageId");
        }
        CharSequence pushTypeHeader = headers.get("apns-push-type");
        String pushType = pushTypeHeader == null ? null : pushTypeHeader.toString();
        if (pushType != null && !PUSH_TYPE_SUFFIXES.containsKey(pushType)) {
            return Verdict.error(400, "InvalidPushType");
        }
        if ("location".equals(pushType) && certificateTopic != null && !tokenAuth) {
            // Apple: location supports token authentication only; a push certificate does not carry its topic
            return Verdict.error(400, "TopicDisallowed");
        }
        CharSequence priority = headers.get("apns-priority");
        if (priority != null
                && !("10".contentEquals(priority) || "5".contentEquals(priority) || "1".contentEquals(priority))) {
            return Verdict.error(400, "BadPriority");
        }
        CharSequence expiration = headers.get("apns-expiration");
        if (expiration != null && !DIGITS.matcher(expiration).matches()) {
            return Verdict.error(400, "BadExpirationDate");
        }
        CharSequence collapseId = headers.get("apns-collapse-id");
        if (collapseId != null && octets(collapseId) > MAX_COLLAPSE_ID_BYTES) {
            return Verdict.error(400, "BadCollapseId");
        }
        Verdict topic = checkTopic(headers.get("apns-topic"), certificateTopic, tokenAuth);
        if (topic != null) {
            return topic;
        }
        String suffix = pushType == null ? "" : PUSH_TYPE_SUFFIXES.get(pushType);
        CharSequence topicHeader = headers.get("apns-topic");
        if (!suffix.isEmpty() && topicHeader != null && !topicHeader.toString().endsWith(suffix)) {
            // a push type with a suffix goes to <bundle id><suffix>: the bare bundle id names no such topic
            return Verdict.error(400, "DeviceTokenNotForTopic");
        }
        if (payload.length == 0) {
            return Verdict.error(400, "PayloadEmpty");
        }
        int limit = "voip".equals(pushType) ? MAX_VOIP_PAYLOAD : MAX_PAYLOAD;
        if (payload.length > limit) {
            return Verdict.error(413, "PayloadTooLarge");
        }
        if (validateJson && !isJsonObject(payload)) {
            // Apple documents no reason for a body that is not JSON; this one is the mock's own.
            return Verdict.error(400, "BadPayload");
        }
        return null;
    }

    private static Verdict checkTopic(CharSequence topicHeader, String certificateTopic, boolean tokenAuth) {
        if (topicHeader == null) {
            return certificateTopic != null ? null : Verdict.error(400, "MissingTopic");
        }
        String topic = topicHeader.toString();
        if (!TOPIC.matcher(topic).matches()) {
            return Verdict.error(400, "BadTopic");
        }
        if (certificateTopic != null && !tokenAuth && !coveredBy(topic, certificateTopic)) {
            return Verdict.error(400, "TopicDisallowed");
        }
        return null;
    }

    /** True if {@code topic} is {@code bundleId} or {@code bundleId} with a push type's suffix. */
    static boolean coveredBy(String topic, String bundleId) {
        if (topic.equals(bundleId)) {
            return true;
        }
        if (!topic.startsWith(bundleId)) {
            return false;
        }
        String suffix = topic.substring(bundleId.length());
        return !suffix.isEmpty() && PUSH_TYPE_SUFFIXES.containsValue(suffix);
    }

    /** The device token's own state: bound to another topic, unregistered, or expired. */
    static Verdict checkDeviceToken(
            DeviceTokens.State state, CharSequence topicHeader, String certificateTopic, CharSequence pushType) {
        if (state == null) {
            return null;
        }
        if (state.topic() != null) {
            String topic = topicHeader != null ? topicHeader.toString() : certificateTopic;
            String suffix = pushType == null ? "" : PUSH_TYPE_SUFFIXES.getOrDefault(pushType.toString(), "");
            if (topic == null || !topic.equals(state.topic() + suffix)) {
                return Verdict.error(400, "DeviceTokenNotForTopic");
            }
        }
        if (state.expired()) {
            return Verdict.error(410, "ExpiredToken");
        }
        if (state.unregisteredSince() != null) {
            return new Verdict(410, "Unregistered", state.unregisteredSince().toEpochMilli());
        }
        return null;
    }

    /** Header values arrive from HPACK as octets (AsciiString); others are counted as UTF-8. */
    private static int octets(CharSequence value) {
        return value instanceof AsciiString ascii
                ? ascii.length()
                : value.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static boolean isJsonObject(byte[] payload) {
        try {
            JsonNode tree = JSON.readTree(payload);
            return tree != null && tree.isObject();
        } catch (JacksonException e) {
            return false;
        }
    }
}
