package io.aapns.model;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Encodes a {@link Notification} into its JSON payload with Jackson's streaming generator: compact, UTF-8, keys spelled
 * as Apple spells them, in a fixed order (the {@code aps} dictionary first, then the app's keys in the order they were
 * added).
 *
 * <p>Fixed order inside {@code aps}: alert, badge, sound, thread-id, category, content-available, mutable-content,
 * target-content-id, interruption-level, relevance-score, filter-criteria, stale-date, content-changed, then the Live
 * Activity keys timestamp, event, content-state, attributes-type, attributes, dismissal-date, input-push-token,
 * input-push-channel. An empty {@code aps} is left out (MDM and other payloads without one).
 *
 * <p>{@link Notification#payload()} encodes once and caches the bytes; use this class to encode straight into a stream
 * or a (pooled) Netty buffer instead.
 */
public final class NotificationEncoder {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
            .build();

    private static final SerializableString APS = name("aps");
    private static final SerializableString ALERT = name("alert");
    private static final SerializableString TITLE = name("title");
    private static final SerializableString TITLE_LOC_KEY = name("title-loc-key");
    private static final SerializableString TITLE_LOC_ARGS = name("title-loc-args");
    private static final SerializableString SUBTITLE = name("subtitle");
    private static final SerializableString SUBTITLE_LOC_KEY = name("subtitle-loc-key");
    private static final SerializableString SUBTITLE_LOC_ARGS = name("subtitle-loc-args");
    private static final SerializableString BODY = name("body");
    private static final SerializableString LOC_KEY = name("loc-key");
    private static final SerializableString LOC_ARGS = name("loc-args");
    private static final SerializableString LAUNCH_IMAGE = name("launch-image");
    private static final SerializableString BADGE = name("badge");
    private static final SerializableString SOUND = name("sound");
    private static final SerializableString CRITICAL = name("critical");
    private static final SerializableString NAME = name("name");
    private static final SerializableString VOLUME = name("volume");
    private static final SerializableString THREAD_ID = name("thread-id");
    private static final SerializableString CATEGORY = name("category");
    private static final SerializableString CONTENT_AVAILABLE = name("content-available");
    private static final SerializableString MUTABLE_CONTENT = name("mutable-content");
    private static final SerializableString TARGET_CONTENT_ID = name("target-content-id");
    private static final SerializableString INTERRUPTION_LEVEL = name("interruption-level");
    private static final SerializableString RELEVANCE_SCORE = name("relevance-score");
    private static final SerializableString FILTER_CRITERIA = name("filter-criteria");
    private static final SerializableString STALE_DATE = name("stale-date");
    private static final SerializableString CONTENT_CHANGED = name("content-changed");
    private static final SerializableString TIMESTAMP = name("timestamp");
    private static final SerializableString EVENT = name("event");
    private static final SerializableString CONTENT_STATE = name("content-state");
    private static final SerializableString ATTRIBUTES_TYPE = name("attributes-type");
    private static final SerializableString ATTRIBUTES = name("attributes");
    private static final SerializableString DISMISSAL_DATE = name("dismissal-date");
    private static final SerializableString INPUT_PUSH_TOKEN = name("input-push-token");
    private static final SerializableString INPUT_PUSH_CHANNEL = name("input-push-channel");

    private NotificationEncoder() {}

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }

    /** Returns the notification's JSON payload as UTF-8 bytes. */
    public static byte[] encode(Notification notification) {
        byte[] raw = notification.rawPayload();
        if (raw != null) {
            return raw.clone();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encode(notification, out);
        return out.toByteArray();
    }

    /** Writes the notification's JSON payload to the stream, which is flushed, not closed. */
    public static void encode(Notification notification, OutputStream out) {
        byte[] raw = notification.rawPayload();
        try {
            if (raw != null) {
                out.write(raw);
                out.flush();
                return;
            }
            try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
                write(g, notification);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Writes the notification's JSON payload into the buffer at its writer index, straight from the generator (no
     * intermediate array), and returns the number of bytes written. The buffer grows as needed and stays the caller's
     * to release.
     */
    public static int encode(Notification notification, ByteBuf buffer) {
        int start = buffer.writerIndex();
        byte[] raw = notification.rawPayload();
        if (raw != null) {
            buffer.writeBytes(raw);
        } else {
            // ByteBufOutputStream is also a DataOutput: pick the OutputStream path explicitly.
            OutputStream out = new ByteBufOutputStream(buffer);
            try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
                write(g, notification);
            }
        }
        return buffer.writerIndex() - start;
    }

    private static void write(JsonGenerator g, Notification n) {
        g.writeStartObject();
        if (hasAps(n)) {
            g.writeName(APS);
            writeAps(g, n);
        }
        for (Map.Entry<String, Object> e : n.customKeys().entrySet()) {
            g.writeName(e.getKey());
            JsonValues.write(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static boolean hasAps(Notification n) {
        return n.alertText() != null
                || n.alert() != null
                || n.badge() != null
                || n.sound() != null
                || n.threadId() != null
                || n.category() != null
                || n.contentAvailable()
                || n.mutableContent()
                || n.targetContentId() != null
                || n.interruptionLevel() != null
                || n.relevanceScore() != null
                || n.filterCriteria() != null
                || n.staleDate() != null
                || n.contentChanged()
                || n.liveActivity() != null;
    }

    private static void writeAps(JsonGenerator g, Notification n) {
        g.writeStartObject();
        if (n.alertText() != null) {
            g.writeName(ALERT);
            g.writeString(n.alertText());
        } else if (n.alert() != null) {
            g.writeName(ALERT);
            writeAlert(g, n.alert());
        }
        if (n.badge() != null) {
            g.writeName(BADGE);
            g.writeNumber(n.badge().intValue());
        }
        if (n.sound() != null) {
            g.writeName(SOUND);
            writeSound(g, n.sound());
        }
        writeString(g, THREAD_ID, n.threadId());
        writeString(g, CATEGORY, n.category());
        if (n.contentAvailable()) {
            g.writeName(CONTENT_AVAILABLE);
            g.writeNumber(1);
        }
        if (n.mutableContent()) {
            g.writeName(MUTABLE_CONTENT);
            g.writeNumber(1);
        }
        writeString(g, TARGET_CONTENT_ID, n.targetContentId());
        if (n.interruptionLevel() != null) {
            g.writeName(INTERRUPTION_LEVEL);
            g.writeString(n.interruptionLevel().value());
        }
        if (n.relevanceScore() != null) {
            g.writeName(RELEVANCE_SCORE);
            g.writeNumber(n.relevanceScore().doubleValue());
        }
        writeString(g, FILTER_CRITERIA, n.filterCriteria());
        if (n.staleDate() != null) {
            g.writeName(STALE_DATE);
            g.writeNumber(n.staleDate().getEpochSecond());
        }
        if (n.contentChanged()) {
            g.writeName(CONTENT_CHANGED);
            g.writeBoolean(true);
        }
        LiveActivity la = n.liveActivity();
        if (la != null) {
            writeLiveActivity(g, la);
        }
        g.writeEndObject();
    }

    private static void writeAlert(JsonGenerator g, Alert a) {
        g.writeStartObject();
        writeString(g, TITLE, a.title());
        writeLocalized(g, TITLE_LOC_KEY, TITLE_LOC_ARGS, a.localizedTitle());
        writeString(g, SUBTITLE, a.subtitle());
        writeLocalized(g, SUBTITLE_LOC_KEY, SUBTITLE_LOC_ARGS, a.localizedSubtitle());
        writeString(g, BODY, a.body());
        writeLocalized(g, LOC_KEY, LOC_ARGS, a.localizedBody());
        writeString(g, LAUNCH_IMAGE, a.launchImage());
        g.writeEndObject();
    }

    private static void writeLocalized(
            JsonGenerator g, SerializableString keyName, SerializableString argsName, Localized localized) {
        if (localized == null) {
            return;
        }
        g.writeName(keyName);
        g.writeString(localized.key());
        List<String> args = localized.args();
        if (!args.isEmpty()) {
            g.writeName(argsName);
            g.writeStartArray();
            for (String arg : args) {
                g.writeString(arg);
            }
            g.writeEndArray();
        }
    }

    private static void writeSound(JsonGenerator g, Sound sound) {
        if (!sound.isCritical()) {
            g.writeString(sound.name());
            return;
        }
        g.writeStartObject();
        g.writeName(CRITICAL);
        g.writeNumber(1);
        g.writeName(NAME);
        g.writeString(sound.name());
        g.writeName(VOLUME);
        g.writeNumber(sound.volume());
        g.writeEndObject();
    }

    private static void writeLiveActivity(JsonGenerator g, LiveActivity la) {
        g.writeName(TIMESTAMP);
        g.writeNumber(la.timestamp().getEpochSecond());
        g.writeName(EVENT);
        g.writeString(la.event().value());
        if (la.contentState() != null) {
            g.writeName(CONTENT_STATE);
            JsonValues.write(g, la.contentState());
        }
        writeString(g, ATTRIBUTES_TYPE, la.attributesType());
        if (la.attributes() != null) {
            g.writeName(ATTRIBUTES);
            JsonValues.write(g, la.attributes());
        }
        if (la.dismissalDate() != null) {
            g.writeName(DISMISSAL_DATE);
            g.writeNumber(la.dismissalDate().getEpochSecond());
        }
        if (la.inputPushToken()) {
            g.writeName(INPUT_PUSH_TOKEN);
            g.writeNumber(1);
        }
        writeString(g, INPUT_PUSH_CHANNEL, la.inputPushChannel());
    }

    private static void writeString(JsonGenerator g, SerializableString name, String value) {
        if (value != null) {
            g.writeName(name);
            g.writeString(value);
        }
    }

    /**
     * Checks that the bytes are exactly one well-formed JSON object.
     *
     * @throws IllegalArgumentException with the parser's complaint otherwise
     */
    static void checkJsonObject(byte[] json) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "a raw payload must be a JSON object, such as" + " {\"aps\":{\"alert\":\"Hi\"}}");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("a raw payload must be a single JSON object, but more follows it");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the raw payload is not well-formed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
