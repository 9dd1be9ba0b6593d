package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * APNs' channel management API as the mock serves it on its management port (Apple, "Sending channel management
 * requests to APNs"): create ({@code POST /1/apps/<bundle id>/channels}), read ({@code GET} of the same path with
 * {@code apns-channel-id}), delete ({@code DELETE}, likewise) and list ({@code GET /1/apps/<bundle id>/all-channels}).
 * Apple does not say which reason each endpoint gives; the choices here follow the error table's meanings.
 */
final class ChannelRules {

    static final String PREFIX = "/1/apps/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The four operations. */
    enum Operation {
        CREATE,
        READ,
        DELETE,
        LIST
    }

    /** A parsed management path: the bundle id and whether it names {@code channels} or {@code all-channels}. */
    record Target(String bundleId, boolean all) {}

    private ChannelRules() {}

    static Target target(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String bundleId = rest.substring(0, slash);
        String what = rest.substring(slash + 1);
        if (what.equals("channels")) {
            return new Target(bundleId, false);
        }
        if (what.equals("all-channels")) {
            return new Target(bundleId, true);
        }
        return null;
    }

    /** The operation a method on a target is, or null when the method is not allowed there. */
    static Operation operation(CharSequence method, Target target) {
        String m = method == null ? "" : method.toString();
        if (target.all()) {
            return m.equals("GET") ? Operation.LIST : null;
        }
        return switch (m) {
            case "POST" -> Operation.CREATE;
            case "GET" -> Operation.READ;
            case "DELETE" -> Operation.DELETE;
            default -> null;
        };
    }

    /** Path, method and header syntax: what comes before authentication. */
    static Verdict checkRequestLine(CharSequence method, String path, Http2Headers headers) {
        Target target = target(path);
        if (target == null) {
            return Verdict.error(404, "BadPath");
        }
        if (operation(method, target) == null) {
            return Verdict.error(405, "MethodNotAllowed");
        }
        return ApnsRules.duplicateHeaders(headers);
    }

    /**
     * The operation after authentication. With {@code commit} false it only says what the answer would be and makes or
     * deletes no channel: the server asks that first, and commits only when it gives that answer (a scripted error
     * answer means APNs did not do it).
     */
    static Verdict check(
            CharSequence method,
            String path,
            Http2Headers headers,
            String certificateTopic,
            boolean tokenAuth,
            byte[] payload,
            MockChannels channels,
            boolean commit) {
        Target target = target(path);
        Operation operation = operation(method, target);
        Verdict verdict = BroadcastRules.checkBundleId(target.bundleId(), certificateTopic, tokenAuth);
        if (verdict == null) {
            verdict = BroadcastRules.checkIds(headers);
        }
        if (verdict != null) {
            return verdict;
        }
        String bundleId = target.bundleId();
        return switch (operation) {
            case CREATE -> create(bundleId, payload, channels, commit);
            case LIST -> list(bundleId, channels);
            case READ, DELETE -> {
                CharSequence id = headers.get("apns-channel-id");
                Verdict bad = BroadcastRules.checkChannelId(id);
                if (bad != null) {
                    yield bad;
                }
                MockChannel channel = channels.get(bundleId, id.toString());
                if (channel == null) {
                    yield Verdict.error(400, "ChannelNotRegistered");
                }
                if (operation == Operation.READ) {
                    ObjectNode body = JSON.createObjectNode()
                            .put("message-storage-policy", channel.storagePolicy())
                            .put("push-type", channel.pushType());
                    yield Verdict.success(200, Map.of(), json(body));
                }
                if (commit) {
                    channels.delete(bundleId, channel.id());
                }
                yield Verdict.success(204, Map.of(), null);
            }
        };
    }

    private static Verdict create(String bundleId, byte[] payload, MockChannels channels, boolean commit) {
        if (payload.length == 0) {
            return Verdict.error(400, "PayloadEmpty");
        }
        JsonNode body = ApnsRules.json(payload);
        if (body == null || !body.isObject()) {
            return Verdict.error(400, "BadRequestPayload");
        }
        for (Iterator<String> names = body.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("message-storage-policy") && !name.equals("push-type")) {
                return Verdict.error(400, "BadRequestParams");
            }
        }
        JsonNode pushType = body.get("push-type");
        JsonNode policy = body.get("message-storage-policy");
        if (pushType == null || policy == null) {
            return Verdict.error(400, "BadRequestParams");
        }
        if (!pushType.isString() || !pushType.stringValue().equalsIgnoreCase("LiveActivity")) {
            return Verdict.error(400, "InvalidPushType");
        }
        int value = policyValue(policy);
        if (value < 0) {
            return Verdict.error(400, "BadRequestParams");
        }
        if (!commit) {
            return channels.hasRoom(bundleId)
                    ? Verdict.success(201, Map.of(), null)
                    : Verdict.error(400, "CannotCreateChannelConfig");
        }
        MockChannel channel = channels.create(bundleId, value);
        if (channel == null) {
            return Verdict.error(400, "CannotCreateChannelConfig");
        }
        return Verdict.success(201, Map.of("apns-channel-id", channel.id()), null);
    }

    /** 0 or 1 as a JSON integer (Apple's form) or string (seen in third-party clients); -1 otherwise. */
    private static int policyValue(JsonNode policy) {
        if (policy.isIntegralNumber() && policy.canConvertToInt()) {
            int v = policy.intValue();
            return v == 0 || v == 1 ? v : -1;
        }
        if (policy.isString()) {
            return switch (policy.stringValue()) {
                case "0" -> 0;
                case "1" -> 1;
                default -> -1;
            };
        }
        return -1;
    }

    private static Verdict list(String bundleId, MockChannels channels) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ids = body.putArray("channels");
        List<MockChannel> all = channels.list(bundleId);
        all.forEach(c -> ids.add(c.id()));
        return Verdict.success(200, Map.of(), json(body));
    }

    private static byte[] json(JsonNode node) {
        return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }
}
