package io.aapns.mock;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request as the mock server received it, with what it did about it. The server keeps these in arrival order
 * ({@link MockApnsServer#requests()}) so that tests can assert on what was sent, how often, and on which connection.
 *
 * @param sequence arrival order across the whole server, from 1
 * @param connectionId the {@link MockConnection#id()} it arrived on
 * @param streamId its HTTP/2 stream id
 * @param receivedAt when it was complete, by the server's clock
 * @param method the {@code :method} pseudo-header
 * @param path the {@code :path} pseudo-header
 * @param deviceToken the device token from the path, or null if the path has none
 * @param headers every regular header, lower-case names, values in order
 * @param outcome what the server did with it
 * @param status the HTTP status answered (0 unless {@link Outcome#ANSWERED}, {@link Outcome#ANSWERED_THEN_RESET} or
 *     {@link Outcome#ANSWERED_THEN_CLOSED})
 * @param reason the APNs reason answered, or null for 200 and unanswered requests
 * @param apnsId the {@code apns-id} answered (echoed or generated), or null
 */
public record RecordedRequest(
        long sequence,
        int connectionId,
        int streamId,
        Instant receivedAt,
        String method,
        String path,
        String deviceToken,
        Map<String, List<String>> headers,
        byte[] payload,
        Outcome outcome,
        int status,
        String reason,
        String apnsId) {

    /** What the server did with a request. */
    public enum Outcome {
        /** Answered with {@link #status()} (possibly after a delay). */
        ANSWERED,
        /** Reset with RST_STREAM REFUSED_STREAM: not processed. */
        REFUSED,
        /** Never answered, on purpose. */
        STALLED,
        /** Above the last-stream-id of the GOAWAY it triggered: not processed. */
        GOAWAY,
        /**
         * Read whole, then reset with RST_STREAM and not answered ({@link Faults#resetAfterEndStreamNext}): the client
         * cannot know whether it was processed.
         */
        RESET,
        /**
         * Answered with a HEADERS frame of {@link #status()} (and the body, if any), then the stream was reset with
         * CANCEL instead of ended ({@link Faults#answerThenResetNext}).
         */
        ANSWERED_THEN_RESET,
        /**
         * Answered with a HEADERS frame of {@link #status()} (and the body, if any), then the connection was dropped
         * ({@link Faults#answerThenCloseNext}).
         */
        ANSWERED_THEN_CLOSED
    }

    /** The first value of header {@code name} (lower case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The request body. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The request body as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * True if the server answered 2xx (200; 201 and 204 for channels created and deleted), including an answer whose
     * stream was then reset or whose connection then dropped: the server processed it.
     */
    public boolean accepted() {
        return status >= 200
                && status < 300
                && (outcome == Outcome.ANSWERED
                        || outcome == Outcome.ANSWERED_THEN_RESET
                        || outcome == Outcome.ANSWERED_THEN_CLOSED);
    }

    @Override
    public String toString() {
        return "RecordedRequest[#" + sequence + " conn=" + connectionId + " stream=" + streamId + " " + method + " "
                + path + " -> " + outcome + (status != 0 ? " " + status : "") + (reason != null ? " " + reason : "")
                + "]";
    }
}
