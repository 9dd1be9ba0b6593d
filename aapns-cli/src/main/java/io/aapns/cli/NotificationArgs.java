package io.aapns.cli;

import io.aapns.model.Alert;
import io.aapns.model.InterruptionLevel;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The options that say what a notification contains, shared by {@code send} and {@code simulator}: the alert, badge,
 * sound and other {@code aps} fields, custom keys, or a whole JSON payload from a file (which the other options then
 * add to or override).
 */
final class NotificationArgs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--title", paramLabel = "TEXT", description = "the alert's title")
    String title;

    @Option(names = "--subtitle", paramLabel = "TEXT", description = "the alert's subtitle")
    String subtitle;

    @Option(names = "--body", paramLabel = "TEXT", description = "the alert's body")
    String body;

    @Option(names = "--badge", paramLabel = "N", description = "the app icon's badge number (0 removes it)")
    Integer badge;

    @Option(names = "--sound", paramLabel = "NAME", description = "a sound file of the app, or 'default'")
    String sound;

    @Option(names = "--category", paramLabel = "ID", description = "the notification category (actions)")
    String category;

    @Option(names = "--thread-id", paramLabel = "ID", description = "groups notifications into a thread")
    String threadId;

    @Option(names = "--content-available", description = "wake the app in the background (content-available: 1)")
    boolean contentAvailable;

    @Option(names = "--mutable-content", description = "let a notification service extension change it")
    boolean mutableContent;

    @Option(
            names = "--interruption-level",
            paramLabel = "LEVEL",
            converter = InterruptionLevelConverter.class,
            description = "passive, active, time-sensitive or critical")
    InterruptionLevel interruptionLevel;

    @Option(
            names = "--relevance-score",
            paramLabel = "X",
            description = "0.0 to 1.0: the order in the notification summary")
    Double relevanceScore;

    @Option(
            names = "--payload",
            paramLabel = "FILE.json",
            description = "the JSON payload from a file ('-' for standard input); the options above are added to its"
                    + " aps dictionary, and override what it says")
    String payload;

    @Option(
            names = "--custom",
            paramLabel = "KEY=JSON",
            description = "a top-level key of the app's own, its value as JSON: --custom order=42,"
                    + " --custom 'user={\"id\":7}', --custom 'name=\"Bob\"' (repeatable)")
    List<String> custom = new ArrayList<>();

    /** A notification, and the push type its content calls for when that is plain (else null). */
    record Built(Notification notification, PushType inferredPushType) {}

    /**
     * Builds the notification, reading {@code --payload} from its file or {@code env}'s standard input.
     *
     * @throws CliException when the payload cannot be read, or as {@link #build(String)}
     */
    Built build(CliEnvironment env) {
        return build(readPayload(env));
    }

    private String readPayload(CliEnvironment env) {
        if (payload == null) {
            return null;
        }
        try {
            if ("-".equals(payload)) {
                return new String(env.in().readAllBytes(), StandardCharsets.UTF_8);
            }
            Path file = Path.of(payload);
            if (!Files.isRegularFile(file)) {
                throw new CliException("--payload " + payload + ": the file does not exist");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read --payload " + payload + ": " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /**
     * Builds the notification.
     *
     * @param payloadText the text of {@code --payload}, read by the caller (from the file or standard input), or null
     * @throws CliException when the options say nothing, a custom value or the payload is not JSON
     */
    Built build(String payloadText) {
        boolean anyOption = title != null
                || subtitle != null
                || body != null
                || badge != null
                || sound != null
                || category != null
                || threadId != null
                || contentAvailable
                || mutableContent
                || interruptionLevel != null
                || relevanceScore != null
                || !custom.isEmpty();
        if (payloadText == null && !anyOption) {
            throw new CliException("nothing to send: give --title and --body, --badge, --sound, --content-available,"
                    + " --custom KEY=JSON or --payload FILE.json");
        }
        Notification fromOptions = anyOption ? fromOptions() : null;
        if (payloadText == null) {
            return new Built(fromOptions, PushType.inferFrom(fromOptions).orElse(null));
        }
        ObjectNode tree = parsePayload(payloadText);
        if (fromOptions != null) {
            merge(tree, (ObjectNode) JSON.readTree(fromOptions.payload()));
        }
        byte[] bytes = JSON.writeValueAsBytes(tree);
        return new Built(Notification.ofJson(bytes), inferPushType(tree));
    }

    private Notification fromOptions() {
        Notification.Builder b = Notification.builder();
        if (title != null || subtitle != null || body != null) {
            b.alert(Alert.builder().title(title).subtitle(subtitle).body(body).build());
        }
        if (badge != null) {
            b.badge(badge);
        }
        b.sound(sound).category(category).threadId(threadId);
        b.contentAvailable(contentAvailable).mutableContent(mutableContent);
        b.interruptionLevel(interruptionLevel);
        if (relevanceScore != null) {
            b.relevanceScore(relevanceScore);
        }
        for (String entry : custom) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--custom " + entry + ": write it as KEY=JSON, for example --custom order=42");
            }
            String key = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            Object parsed;
            try {
                parsed = JSON.readValue(value, Object.class);
            } catch (JacksonException e) {
                throw new CliException("--custom " + entry + ": the value is not JSON (" + e.getOriginalMessage()
                        + "); a string needs quotes: --custom '" + key + "=\"" + value + "\"'");
            }
            b.customKey(key, parsed);
        }
        return b.build();
    }

    private ObjectNode parsePayload(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new CliException("--payload " + payload + " is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new CliException("--payload " + payload + " must hold one JSON object, such as"
                    + " {\"aps\":{\"alert\":\"Hello\"}}");
        }
        return (ObjectNode) node;
    }

    /** Adds {@code from} to {@code into}: objects are merged key by key, anything else replaces what was there. */
    private static void merge(ObjectNode into, ObjectNode from) {
        for (var e : from.properties()) {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
                merge(target, source);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    /** The push type a payload calls for, as {@link PushType#inferFrom} reads a built notification; null if unclear. */
    static PushType inferPushType(JsonNode payload) {
        JsonNode aps = payload.get("aps");
        if (aps == null || !aps.isObject()) {
            return null;
        }
        if (aps.has("event")) {
            return PushType.LIVEACTIVITY;
        }
        if (aps.has("content-changed")) {
            return PushType.WIDGETS;
        }
        if (aps.has("alert") || aps.has("badge") || aps.has("sound")) {
            return PushType.ALERT;
        }
        if (aps.has("content-available")) {
            return PushType.BACKGROUND;
        }
        return null;
    }

    /** Reads {@code --interruption-level} as Apple spells it ({@code time-sensitive}) or as the enum does. */
    static final class InterruptionLevelConverter implements CommandLine.ITypeConverter<InterruptionLevel> {
        @Override
        public InterruptionLevel convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (InterruptionLevel level : InterruptionLevel.values()) {
                if (level.value().equals(v)) {
                    return level;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an interruption level: use passive, active, time-sensitive or critical");
        }
    }
}
