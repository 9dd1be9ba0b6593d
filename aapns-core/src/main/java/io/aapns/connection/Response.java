package io.aapns.connection;

import io.aapns.internal.ApnsHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's answer to one {@link Request}: the HTTP status, the response headers (notably {@code apns-id} and
 * {@code apns-unique-id}), the body, and, for rejections, the {@code reason} and (with 410) the {@code timestamp}
 * parsed from APNs' JSON body. Immutable.
 *
 * <p>A reason that this library does not know is kept as text; a body that is not JSON is kept as bytes and simply
 * yields no reason.
 */
public final class Response {
    private static final byte[] EMPTY = new byte[0];
    private static final JsonMapper JSON = JsonMapper.shared();

    private final int status;
    /** The header block as received (answers from a connection); the map is built from it on demand. */
    private final Http2Headers received;

    private volatile Map<String, List<String>> headers;
    private final byte[] body;
    private final String reason;
    private final Instant timestamp;

    private Response(int status, Http2Headers received, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.received = received;
        this.headers = headers;
        this.body = body;
        String parsedReason = null;
        Instant parsedTimestamp = null;
        if (body.length > 0) {
            try {
                JsonNode root = JSON.readTree(body);
                if (root != null && root.isObject()) {
                    JsonNode r = root.get("reason");
                    if (r != null && r.isString()) {
                        parsedReason = r.stringValue();
                    }
                    JsonNode t = root.get("timestamp");
                    if (t != null && t.isNumber() && t.canConvertToLong()) {
                        parsedTimestamp = Instant.ofEpochMilli(t.longValue());
                    } else if (t != null && t.isString()) {
                        try {
                            parsedTimestamp = Instant.ofEpochMilli(
                                    Long.parseLong(t.stringValue().trim()));
                        } catch (NumberFormatException ignored) {
                            // not a number: no timestamp
                        }
                    }
                }
            } catch (RuntimeException notJson) {
                // A body that is not JSON carries no reason; the bytes stay available.
            }
        }
        this.reason = parsedReason;
        this.timestamp = parsedTimestamp;
    }

    /**
     * Creates a response from its parts (header names are lower-cased). Mainly for tests and for layers that synthesise
     * answers.
     */
    public static Response of(int status, Map<String, List<String>> headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers")
                .forEach((k, v) -> copy.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                        .addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        byte[] b = body == null || body.length == 0 ? EMPTY : body.clone();
        return new Response(status, null, Collections.unmodifiableMap(copy), b);
    }

    /**
     * For the engine: an answer read by a connection, taking ownership of its parts. The header block is kept as Netty
     * decoded it (nothing changes it afterwards) and turned into a map only if someone calls {@link #headers()}: most
     * callers read {@code apns-id} and the body, and for them the map would be garbage.
     */
    static Response received(int status, Http2Headers headers, byte[] body) {
        return new Response(status, headers, null, body == null ? EMPTY : body);
    }

    /** The HTTP status: 200 when APNs accepted the notification. */
    public int status() {
        return status;
    }

    /** Whether APNs accepted the notification (status 200). */
    public boolean isSuccessful() {
        return status == 200;
    }

    /** The first value of header {@code name} (case-insensitive), if present. */
    public Optional<String> header(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (received != null) {
            return lower.startsWith(":") ? Optional.empty() : first(lower);
        }
        List<String> values = headers.get(lower);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private Optional<String> first(CharSequence lowerName) {
        CharSequence value = received.get(lowerName);
        return value == null ? Optional.empty() : Optional.of(value.toString());
    }

    /** All response headers except pseudo headers, lower-case names, in arrival order. */
    public Map<String, List<String>> headers() {
        Map<String, List<String>> map = headers;
        if (map == null) {
            map = new LinkedHashMap<>();
            for (Map.Entry<CharSequence, CharSequence> h : received) {
                CharSequence name = h.getKey();
                if (name.length() > 0 && name.charAt(0) == ':') {
                    continue; // pseudo-headers (:status) are not headers
                }
                map.computeIfAbsent(name.toString(), k -> new ArrayList<>(1))
                        .add(h.getValue().toString());
            }
            map.replaceAll((k, v) -> Collections.unmodifiableList(v));
            map = Collections.unmodifiableMap(map);
            headers = map; // a benign race: every thread builds an equal map
        }
        return map;
    }

    /** The {@code apns-id} APNs returned: the notification's id. */
    public Optional<String> apnsId() {
        return received != null ? first(ApnsHeaders.APNS_ID) : header("apns-id");
    }

    /**
     * The {@code apns-unique-id}: APNs' own id of the message, to quote to Apple. On {@code /3/device} only the
     * development environment sends it; broadcast answers carry it in both environments.
     */
    public Optional<String> apnsUniqueId() {
        return received != null ? first(ApnsHeaders.APNS_UNIQUE_ID) : header("apns-unique-id");
    }

    /**
     * The {@code apns-request-id} of a broadcast or channel management answer: the one the request carried, or the one
     * APNs made for it. Notifications to a device token have none (their id is {@link #apnsId()}). Read from the header
     * block only when asked: an ordinary push pays nothing for it.
     */
    public Optional<String> apnsRequestId() {
        return received != null ? first(ApnsHeaders.APNS_REQUEST_ID) : header("apns-request-id");
    }

    /** The {@code apns-channel-id} of a channel management answer: the new channel's id after a create. */
    public Optional<String> apnsChannelId() {
        return received != null ? first(ApnsHeaders.APNS_CHANNEL_ID) : header("apns-channel-id");
    }

    /** Whether the status is 2xx: 200 for a push or a read, 201 for a channel created, 204 for one deleted. */
    public boolean is2xx() {
        return status >= 200 && status < 300;
    }

    /** A copy of the response body (empty for an accepted notification). */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The {@code reason} from the JSON body, such as {@code BadDeviceToken}, kept as sent even when unknown; empty when
     * there is none or the body is not JSON.
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The {@code timestamp} from the JSON body (sent with 410): when APNs last confirmed that the token was no longer
     * valid.
     */
    public Optional<Instant> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    @Override
    public String toString() {
        return "Response{" + status + (reason != null ? " " + reason : "")
                + apnsId().map(id -> ", apns-id " + id).orElse("") + "}";
    }
}
