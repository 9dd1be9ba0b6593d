package io.aapns.kafka;

import io.aapns.api.SendOptions;
import io.aapns.model.Alert;
import io.aapns.model.InterruptionLevel;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The record format of push requests, version 1 (docs/kafka.md, docs/kafka-push-request.schema.json): a JSON object
 * with {@code "v": 1}, the device token, either {@code "payload"} (the APNs payload, {@code aps} and custom keys, sent
 * as it is) or {@code "notification"} (the fields of {@link Notification} for producers in other languages), the send
 * options, an optional named client and an optional idempotency key.
 *
 * <p>{@link #encode} always writes the {@code payload} form, which carries every field of a notification.
 * {@link #decode} reads both and fails with an {@link InvalidPushRequestException} that names the field and says what
 * is wrong, for anything it does not understand: an unknown version or field, a wrong type, a bad value. Thread-safe.
 */
public final class PushRequestCodec {

    /** The version this codec writes and reads. */
    public static final int VERSION = 1;

    private static final Set<String> TOP_LEVEL =
            Set.of("v", "token", "payload", "notification", "options", "client", "idempotency-key");
    private static final Set<String> OPTIONS =
            Set.of("push-type", "priority", "expiration", "collapse-id", "topic", "apns-id");
    private static final Set<String> NOTIFICATION = Set.of(
            "alert",
            "badge",
            "sound",
            "category",
            "thread-id",
            "content-available",
            "mutable-content",
            "target-content-id",
            "interruption-level",
            "relevance-score",
            "custom");
    private static final Set<String> ALERT = Set.of("title", "subtitle", "body", "launch-image");

    private final JsonMapper mapper = JsonMapper.builder().build();

    /** Returns the record value (UTF-8 JSON) of a request. */
    public String encode(PushRequest request) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", VERSION);
        root.put("token", request.deviceToken());
        root.set("payload", mapper.readTree(request.notification().payload()));
        SendOptions o = request.options();
        ObjectNode options = mapper.createObjectNode();
        o.pushType().ifPresent(t -> options.put("push-type", t.headerValue()));
        o.priority().ifPresent(p -> options.put("priority", p.value()));
        o.expiration().ifPresent(e -> options.put("expiration", e.getEpochSecond()));
        o.collapseId().ifPresent(c -> options.put("collapse-id", c));
        o.topic().ifPresent(t -> options.put("topic", t));
        o.apnsId().ifPresent(id -> options.put("apns-id", id.toString()));
        if (!options.isEmpty()) {
            root.set("options", options);
        }
        request.client().ifPresent(c -> root.put("client", c));
        request.idempotencyKey().ifPresent(k -> root.put("idempotency-key", k));
        return mapper.writeValueAsString(root);
    }

    /**
     * Reads a record value.
     *
     * @throws InvalidPushRequestException naming the field and saying what is wrong
     */
    public PushRequest decode(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidPushRequestException("the record has no value: a push request is a JSON object");
        }
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JacksonException e) {
            throw new InvalidPushRequestException(
                    "the record is not JSON: " + e.getOriginalMessage() + " (a push request is a JSON object)", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPushRequestException("the record is not a JSON object (a push request is one)");
        }
        JsonNode v = root.get("v");
        if (v == null || !v.isIntegralNumber()) {
            throw new InvalidPushRequestException(
                    "field \"v\" (the format's version) is missing: this worker reads" + " version " + VERSION);
        }
        if (v.asInt() != VERSION) {
            throw new InvalidPushRequestException("field \"v\" is " + v + ": this worker reads version " + VERSION
                    + " only; upgrade the worker before the producers");
        }
        checkKnown(root, TOP_LEVEL, "");
        try {
            return PushRequest.builder(text(root, "token", true), notification(root))
                    .options(options(root.get("options")))
                    .client(text(root, "client", false))
                    .idempotencyKey(text(root, "idempotency-key", false))
                    .build();
        } catch (InvalidPushRequestException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidPushRequestException(e.getMessage(), e);
        } catch (JacksonException e) {
            throw new InvalidPushRequestException("the record's JSON could not be read: " + e.getOriginalMessage(), e);
        }
    }

    private Notification notification(JsonNode root) {
        JsonNode payload = root.get("payload");
        JsonNode fields = root.get("notification");
        if ((payload == null) == (fields == null)) {
            throw new InvalidPushRequestException(
                    "a push request has exactly one of \"payload\" (the APNs payload) and \"notification\" (its"
                            + " fields), not " + (payload == null ? "neither" : "both"));
        }
        if (payload != null) {
            if (!payload.isObject()) {
                throw new InvalidPushRequestException("field \"payload\" must be a JSON object, the APNs payload"
                        + " ({\"aps\": {...}, custom keys}), not " + payload.getNodeType());
            }
            return Notification.ofJson(mapper.writeValueAsBytes(payload));
        }
        if (!fields.isObject()) {
            throw new InvalidPushRequestException("field \"notification\" must be a JSON object");
        }
        checkKnown(fields, NOTIFICATION, "notification.");
        Notification.Builder b = Notification.builder();
        JsonNode alert = fields.get("alert");
        if (alert != null && alert.isString()) {
            b.alert(alert.stringValue());
        } else if (alert != null && alert.isObject()) {
            checkKnown(alert, ALERT, "notification.alert.");
            Alert.Builder a = Alert.builder();
            String title = text(alert, "title", false, "notification.alert.");
            String subtitle = text(alert, "subtitle", false, "notification.alert.");
            String body = text(alert, "body", false, "notification.alert.");
            String launchImage = text(alert, "launch-image", false, "notification.alert.");
            if (title != null) a.title(title);
            if (subtitle != null) a.subtitle(subtitle);
            if (body != null) a.body(body);
            if (launchImage != null) a.launchImage(launchImage);
            b.alert(a.build());
        } else if (alert != null && !alert.isNull()) {
            throw new InvalidPushRequestException(
                    "field \"notification.alert\" must be a string or an object with title, subtitle, body");
        }
        JsonNode badge = fields.get("badge");
        if (badge != null) {
            if (!badge.isInt() || badge.asInt() < 0) {
                throw new InvalidPushRequestException(
                        "field \"notification.badge\" must be a whole number, 0 or more, not " + badge);
            }
            b.badge(badge.asInt());
        }
        String sound = text(fields, "sound", false, "notification.");
        if (sound != null) b.sound(sound);
        String category = text(fields, "category", false, "notification.");
        if (category != null) b.category(category);
        String threadId = text(fields, "thread-id", false, "notification.");
        if (threadId != null) b.threadId(threadId);
        b.contentAvailable(bool(fields, "content-available"));
        b.mutableContent(bool(fields, "mutable-content"));
        String target = text(fields, "target-content-id", false, "notification.");
        if (target != null) b.targetContentId(target);
        String level = text(fields, "interruption-level", false, "notification.");
        if (level != null) b.interruptionLevel(interruptionLevel(level));
        JsonNode score = fields.get("relevance-score");
        if (score != null) {
            if (!score.isNumber()) {
                throw new InvalidPushRequestException(
                        "field \"notification.relevance-score\" must be a number from 0 to 1, not " + score);
            }
            b.relevanceScore(score.asDouble());
        }
        JsonNode custom = fields.get("custom");
        if (custom != null) {
            if (!custom.isObject()) {
                throw new InvalidPushRequestException(
                        "field \"notification.custom\" must be an object of the app's own top-level keys");
            }
            for (Map.Entry<String, JsonNode> e : custom.properties()) {
                b.customKey(e.getKey(), mapper.treeToValue(e.getValue(), Object.class));
            }
        }
        return b.build();
    }

    private static InterruptionLevel interruptionLevel(String value) {
        for (InterruptionLevel level : InterruptionLevel.values()) {
            if (level.value().equals(value)) {
                return level;
            }
        }
        throw new InvalidPushRequestException("field \"notification.interruption-level\" is \"" + value
                + "\": use passive, active, time-sensitive or critical");
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidPushRequestException(
                    "field \"notification." + field + "\" must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    private static SendOptions options(JsonNode node) {
        SendOptions.Builder b = SendOptions.builder();
        if (node == null || node.isNull()) {
            return b.build();
        }
        if (!node.isObject()) {
            throw new InvalidPushRequestException("field \"options\" must be a JSON object");
        }
        checkKnown(node, OPTIONS, "options.");
        String pushType = text(node, "push-type", false, "options.");
        if (pushType != null) {
            b.pushType(PushType.fromHeaderValue(pushType));
        }
        JsonNode priority = node.get("priority");
        if (priority != null) {
            if (!priority.isInt()) {
                throw new InvalidPushRequestException("field \"options.priority\" must be 10, 5 or 1, not " + priority);
            }
            b.priority(Priority.of(priority.asInt()));
        }
        JsonNode expiration = node.get("expiration");
        if (expiration != null) {
            if (!expiration.isIntegralNumber() || expiration.asLong() < 0) {
                throw new InvalidPushRequestException("field \"options.expiration\" must be epoch seconds (0: deliver"
                        + " once, never store), not " + expiration);
            }
            b.expiration(Instant.ofEpochSecond(expiration.asLong()));
        }
        String collapseId = text(node, "collapse-id", false, "options.");
        if (collapseId != null) {
            b.collapseId(collapseId);
        }
        String topic = text(node, "topic", false, "options.");
        if (topic != null) {
            b.topic(topic);
        }
        String apnsId = text(node, "apns-id", false, "options.");
        if (apnsId != null) {
            try {
                b.apnsId(UUID.fromString(apnsId));
            } catch (IllegalArgumentException e) {
                throw new InvalidPushRequestException(
                        "field \"options.apns-id\" is \"" + apnsId + "\", not a UUID (8-4-4-4-12 hex digits)", e);
            }
        }
        return b.build();
    }

    private static String text(JsonNode node, String field, boolean required) {
        return text(node, field, required, "");
    }

    private static String text(JsonNode node, String field, boolean required, String prefix) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidPushRequestException("field \"" + prefix + field + "\" is missing");
            }
            return null;
        }
        if (!value.isString()) {
            throw new InvalidPushRequestException(
                    "field \"" + prefix + field + "\" must be a string, not " + value.getNodeType());
        }
        return value.stringValue();
    }

    private static void checkKnown(JsonNode node, Set<String> known, String prefix) {
        for (String name : node.propertyNames()) {
            if (!known.contains(name)) {
                throw new InvalidPushRequestException("unknown field \"" + prefix + name + "\" (version " + VERSION
                        + " has " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }
}
