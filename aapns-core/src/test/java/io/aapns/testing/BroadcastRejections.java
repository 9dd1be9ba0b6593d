package io.aapns.testing;

import io.aapns.errors.Reason;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every error answer Apple lists for broadcast and channel management requests ("Handling error responses from APNs",
 * the table of {@code APNS-BROADCAST.md} section 4), as a server sends it, with what the client does with it under its
 * default delivery rules. One table for the tests against the mock server and against the scripted server.
 */
public final class BroadcastRejections {

    /** What the pool does with an answer. */
    public enum Fate {
        /** Handed to the caller at once: a rejection is a value (or, for channel calls, ChannelRejectedException). */
        RETURNED,
        /** Sent again after a back-off (429, 500 and 503 in the default {@code RetryPolicy}). */
        RESENT_AFTER_BACKOFF,
        /** Sent again once, with a new provider token; a second one is returned. */
        RESENT_ONCE_WITH_A_NEW_TOKEN
    }

    /** One error answer: its status and Apple's reason text. */
    public record Rejection(int status, String reasonText) {
        public Reason reason() {
            return Reason.fromString(reasonText);
        }

        public Fate fate() {
            if (reason() == Reason.EXPIRED_PROVIDER_TOKEN) {
                return Fate.RESENT_ONCE_WITH_A_NEW_TOKEN;
            }
            if (reason() == Reason.TOO_MANY_PROVIDER_TOKEN_UPDATES) {
                return Fate.RETURNED; // the same token would be refused again
            }
            return status == 429 || status == 500 || status == 503 ? Fate.RESENT_AFTER_BACKOFF : Fate.RETURNED;
        }

        @Override
        public String toString() {
            return status + " " + reasonText;
        }
    }

    /** Apple's table, in its order (503 {@code Service Unavailable} as the device API spells it on the wire). */
    public static final List<Rejection> ALL = List.of(
            new Rejection(400, "FeatureNotEnabled"),
            new Rejection(400, "MissingChannelId"),
            new Rejection(400, "BadChannelId"),
            new Rejection(400, "ChannelNotRegistered"),
            new Rejection(400, "BadRequestParams"),
            new Rejection(400, "BadRequestPayload"),
            new Rejection(400, "PayloadEmpty"),
            new Rejection(400, "BadMessageId"),
            new Rejection(400, "MissingPushType"),
            new Rejection(400, "InvalidPushType"),
            new Rejection(400, "CannotCreateChannelConfig"),
            new Rejection(400, "BadExpirationDate"),
            new Rejection(400, "TopicDisallowed"),
            new Rejection(400, "BadPriority"),
            new Rejection(403, "BadCertificate"),
            new Rejection(403, "BadCertificateEnvironment"),
            new Rejection(403, "TopicMismatch"),
            new Rejection(403, "MissingProviderToken"),
            new Rejection(403, "ExpiredProviderToken"),
            new Rejection(403, "InvalidProviderToken"),
            new Rejection(404, "BadPath"),
            new Rejection(405, "MethodNotAllowed"),
            new Rejection(413, "PayloadTooLarge"),
            new Rejection(429, "TooManyRequests"),
            new Rejection(429, "TooManyProviderTokenUpdates"),
            new Rejection(500, "InternalServerError"),
            new Rejection(503, "ServiceUnavailable"),
            new Rejection(503, "Shutdown"));

    private BroadcastRejections() {}

    public static Stream<Rejection> all() {
        return ALL.stream();
    }

    public static Stream<Rejection> withFate(Fate fate) {
        return ALL.stream().filter(r -> r.fate() == fate);
    }
}
