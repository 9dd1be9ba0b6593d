package io.aapns.kafka;

import java.time.Instant;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of a {@link PushOutcome}, version 1. */
final class PushOutcomeCodec {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private PushOutcomeCodec() {}

    static String encode(PushOutcome o) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("v", 1);
        root.put("key", o.key());
        root.put("token", o.token());
        root.put("outcome", o.outcome().name().toLowerCase(Locale.ROOT));
        root.put("status", o.status());
        root.put("reason", o.reason());
        root.put("apns-id", o.apnsId());
        root.put("apns-unique-id", o.apnsUniqueId());
        root.put("timestamp", o.timestamp() != null ? o.timestamp().toString() : null);
        root.put("attempts", o.attempts());
        root.put("possibly-duplicated", o.possiblyDuplicated());
        root.put("worker", o.worker());
        ObjectNode source = root.putObject("source");
        source.put("topic", o.source().topic());
        source.put("partition", o.source().partition());
        source.put("offset", o.source().offset());
        root.put("error", o.error());
        return MAPPER.writeValueAsString(root);
    }

    static PushOutcome decode(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not an outcome record (not JSON): " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("v").asInt() != 1) {
            throw new IllegalArgumentException("not an outcome record of version 1: " + json);
        }
        JsonNode source = root.path("source");
        return new PushOutcome(
                text(root, "key"),
                text(root, "token"),
                PushOutcome.Kind.valueOf(text(root, "outcome").toUpperCase(Locale.ROOT)),
                root.path("status").isInt() ? root.get("status").asInt() : null,
                text(root, "reason"),
                text(root, "apns-id"),
                text(root, "apns-unique-id"),
                text(root, "timestamp") != null ? Instant.parse(text(root, "timestamp")) : null,
                root.path("attempts").asInt(),
                root.path("possibly-duplicated").asBoolean(),
                text(root, "worker"),
                new PushOutcome.Source(
                        text(source, "topic"),
                        source.path("partition").asInt(),
                        source.path("offset").asLong()),
                text(root, "error"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
