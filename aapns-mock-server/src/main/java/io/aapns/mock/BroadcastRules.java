package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Headers;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * APNs' validation of broadcasts, {@code POST /4/broadcasts/apps/<bundle id>} on the push port, and of the channel id
 * that the broadcast and the channel API share. The order is the mock's (Apple documents none): path and method,
 * headers, then (after authentication, done by the handler) bundle id and credentials, the headers Apple requires, the
 * channel, the payload.
 */
final class BroadcastRules {

    static final String PATH = "/4/broadcasts/apps/";
    static final int MAX_PAYLOAD = 5120;
    /** Apple's channel ids are base64; the mock refuses other characters and ids over this length as BadChannelId. */
    static final int MAX_CHANNEL_ID_LENGTH = 1024;

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+={0,2}");

    private BroadcastRules() {}

    /** Whether {@code path} is the broadcast path (any bundle id). */
    static boolean isBroadcast(String path) {
        return path != null && path.startsWith("/4/");
    }

    /** The bundle id in a broadcast path, or null. */
    static String bundleId(String path) {
        String rest = path.substring(Math.min(path.length(), PATH.length()));
        return path.startsWith(PATH) && !rest.isEmpty() && rest.indexOf('/') < 0 && rest.indexOf('?') < 0 ? rest : null;
    }

    /** Method, path and header syntax: what comes before authentication. */
    static Verdict checkRequestLine(CharSequence method, String path, Http2Headers headers) {
        if (bundleId(path) == null) {
            return Verdict.error(404, "BadPath");
        }
        if (!"POST".contentEquals(method == null ? "" : method)) {
            return Verdict.error(405, "MethodNotAllowed");
        }
        return ApnsRules.duplicateHeaders(headers);
    }

    /** The bundle id of a path against the credentials: no suffix, covered by the certificate. */
    static Verdict checkBundleId(String bundleId, String certificateTopic, boolean tokenAuth) {
        if (bundleId.contains(".push-type.") || !ApnsRules.isBundleId(bundleId)) {
            return Verdict.error(400, "TopicDisallowed");
        }
        if (certificateTopic != null && !tokenAuth && !certificateTopic.equals(bundleId)) {
            return Verdict.error(403, "TopicMismatch");
        }
        return null;
    }

    /** The {@code apns-channel-id} header: present and base64. */
    static Verdict checkChannelId(CharSequence channelId) {
        if (channelId == null) {
            return Verdict.error(400, "MissingChannelId");
        }
        if (channelId.length() > MAX_CHANNEL_ID_LENGTH
                || !BASE64.matcher(channelId).matches()) {
            return Verdict.error(400, "BadChannelId");
        }
        return null;
    }

    /** An {@code apns-request-id} or {@code apns-id}, if present, must be a canonical UUID. */
    static Verdict checkIds(Http2Headers headers) {
        CharSequence requestId = headers.get("apns-request-id");
        if (requestId != null && !ApnsRules.isUuid(requestId)) {
            return Verdict.error(400, "BadMessageId");
        }
        CharSequence id = headers.get("apns-id");
        if (id != null && !ApnsRules.isUuid(id)) {
            return Verdict.error(400, "BadMessageId");
        }
        return null;
    }

    /** The broadcast after authentication: Apple's required headers, the channel, the payload. */
    static Verdict check(
            Http2Headers headers,
            String bundleId,
            String certificateTopic,
            boolean tokenAuth,
            byte[] payload,
            boolean validateJson,
            MockChannels channels) {
        Verdict verdict = checkBundleId(bundleId, certificateTopic, tokenAuth);
        if (verdict == null) {
            verdict = checkIds(headers);
        }
        if (verdict == null) {
            verdict = checkChannelId(headers.get("apns-channel-id"));
        }
        if (verdict != null) {
            return verdict;
        }
        CharSequence pushType = headers.get("apns-push-type");
        if (pushType == null) {
            return Verdict.error(400, "MissingPushType");
        }
        if (!pushType.toString().equalsIgnoreCase("liveactivity")) {
            return Verdict.error(400, "InvalidPushType");
        }
        CharSequence expiration = headers.get("apns-expiration");
        if (expiration == null || !ApnsRules.isDigits(expiration)) {
            return Verdict.error(400, "BadExpirationDate");
        }
        CharSequence priority = headers.get("apns-priority");
        if (priority == null
                || !("10".contentEquals(priority) || "5".contentEquals(priority) || "1".contentEquals(priority))) {
            return Verdict.error(400, "BadPriority");
        }
        MockChannel channel =
                channels.get(bundleId, headers.get("apns-channel-id").toString());
        if (channel == null) {
            return Verdict.error(400, "ChannelNotRegistered");
        }
        if (channel.storagePolicy() == 0 && Long.parseLong(expiration.toString()) != 0) {
            return Verdict.error(400, "BadExpirationDate");
        }
        if (payload.length == 0) {
            return Verdict.error(400, "PayloadEmpty");
        }
        if (payload.length > MAX_PAYLOAD) {
            return Verdict.error(413, "PayloadTooLarge");
        }
        if (validateJson) {
            JsonNode tree = ApnsRules.json(payload);
            if (tree == null || !tree.isObject()) {
                return Verdict.error(400, "BadRequestPayload");
            }
        }
        return Verdict.success(200, Map.of("apns-unique-id", UUID.randomUUID().toString()), null);
    }
}
