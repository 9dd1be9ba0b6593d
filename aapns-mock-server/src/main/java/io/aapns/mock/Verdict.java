package io.aapns.mock;

import java.util.Map;

/**
 * The answer the server gives a request: an HTTP status and, for errors, APNs' reason; for the broadcast and channel
 * APIs, extra answer headers ({@code apns-channel-id}, {@code apns-unique-id}) and a JSON body on success.
 */
record Verdict(int status, String reason, Long timestamp, Map<String, String> headers, byte[] body) {

    static final Verdict OK = new Verdict(200, null, null);

    Verdict(int status, String reason, Long timestamp) {
        this(status, reason, timestamp, Map.of(), null);
    }

    static Verdict error(int status, String reason) {
        return new Verdict(status, reason, null);
    }

    /** A success of the broadcast or channel API with these answer headers and body (null: none). */
    static Verdict success(int status, Map<String, String> headers, byte[] body) {
        return new Verdict(status, null, null, Map.copyOf(headers), body);
    }

    /** Any 2xx: 200, 201 for a channel created, 204 for one deleted. */
    boolean ok() {
        return status >= 200 && status < 300;
    }
}
