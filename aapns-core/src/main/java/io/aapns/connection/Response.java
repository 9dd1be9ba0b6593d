package io.aapns.connection;

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
 * The server's answer to one {@link Request}: the HTTP status, the response headers (notably
 * {@code apns-id} and {@code apns-unique-id}), the body, and, for rejections, the {@code reason}
 * and (with 410) the {@code timestamp} parsed from APNs' JSON body. Immutable.
 *
 * <p>A reason that this library does not know is kept as text; a body that is not JSON is kept
 * as bytes and simply yields no reason.
 */
public final class Response {
    private static final byte[] EMPTY = new byte[0];
    private static final JsonMapper JSON = JsonMapper.shared();

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String reason;
    private final Instant timestamp;

    private Response(int status, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
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
                            parsedTimestamp = Instant.ofEpochMilli(Long.parseLong(t.stringValue().trim()));
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
     * Creates a response from its parts (header names are lower-cased). Mainly for tests and for
     * layers that synthesise answers.
     */
    public static Response of(int status, Map<String, List<String>> headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((k, v) ->
                copy.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        copy.replaceAll((k, v) -> List.copyOf(v));
        byte[] b = body == null || body.length == 0 ? EMPTY : body.clone();
        return new Response(status, Collections.unmodifiableMap(copy), b);
    }

    /** For the engine: takes ownership of already immutable parts. */
    static Response owned(int status, Map<String, List<String>> headers, byte[] body) {
        return new Response(status, headers, body == null ? EMPTY : body);
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
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** All response headers except pseudo headers, lower-case names, in arrival order. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The {@code apns-id} APNs returned: the notification's id. */
    public Optional<String> apnsId() {
        return header("apns-id");
    }

    /** The {@code apns-unique-id} (development environment only). */
    public Optional<String> apnsUniqueId() {
        return header("apns-unique-id");
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
     * The {@code reason} from the JSON body, such as {@code BadDeviceToken}, kept as sent even
     * when unknown; empty when there is none or the body is not JSON.
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * The {@code timestamp} from the JSON body (sent with 410): when APNs last confirmed that the
     * token was no longer valid.
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
