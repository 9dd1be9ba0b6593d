package io.aapns.errors;

import java.util.HashMap;
import java.util.Map;

/**
 * Every reason APNs gives when it rejects a notification, a broadcast or a channel management request (the
 * {@code reason} of the JSON error body, or of GOAWAY debug data), with the HTTP status it comes with and Apple's
 * advice on sending again. The device API's reasons are from Apple's "Handling notification responses from APNs"; the
 * broadcast and channel reasons ({@link #FEATURE_NOT_ENABLED} to {@link #TOPIC_MISMATCH}) from "Handling error
 * responses from APNs". Reasons both lists share (BadPriority, PayloadTooLarge, ...) appear once.
 *
 * <p>{@link #fromString(String)} maps text that this version does not know to {@link #UNKNOWN}. An enum cannot keep
 * that text, so whoever parses a response keeps it next to the enum: {@code PushResult.reasonText()} and
 * {@link ApnsRejectedException#reasonText()} hold Apple's exact words.
 */
public enum Reason {

    // 400
    BAD_COLLAPSE_ID("BadCollapseId", 400, RetryAdvice.NEVER, "the apns-collapse-id header is longer than 64 bytes"),
    BAD_DEVICE_TOKEN(
            "BadDeviceToken",
            400,
            RetryAdvice.NEVER,
            "the device token is malformed, or belongs to the other environment (sandbox vs production)"),
    BAD_EXPIRATION_DATE(
            "BadExpirationDate", 400, RetryAdvice.NEVER, "the apns-expiration header is not a valid epoch time"),
    BAD_MESSAGE_ID("BadMessageId", 400, RetryAdvice.NEVER, "the apns-id header is not a canonical UUID"),
    BAD_PRIORITY("BadPriority", 400, RetryAdvice.NEVER, "the apns-priority header is not 10, 5 or 1"),
    BAD_TOPIC("BadTopic", 400, RetryAdvice.NEVER, "the apns-topic header is invalid"),
    DEVICE_TOKEN_NOT_FOR_TOPIC(
            "DeviceTokenNotForTopic",
            400,
            RetryAdvice.NEVER,
            "the device token does not belong to the topic (bundle id and suffix)"),
    DUPLICATE_HEADERS("DuplicateHeaders", 400, RetryAdvice.NEVER, "a header was sent more than once"),
    IDLE_TIMEOUT("IdleTimeout", 400, RetryAdvice.ON_ANOTHER_CONNECTION, "the connection was idle too long"),
    INVALID_PUSH_TYPE("InvalidPushType", 400, RetryAdvice.NEVER, "the apns-push-type header is not one APNs knows"),
    MISSING_DEVICE_TOKEN("MissingDeviceToken", 400, RetryAdvice.NEVER, "the request path has no device token"),
    MISSING_TOPIC(
            "MissingTopic",
            400,
            RetryAdvice.NEVER,
            "the apns-topic header is required (token auth, or a certificate with several topics)"),
    PAYLOAD_EMPTY("PayloadEmpty", 400, RetryAdvice.NEVER, "the payload is empty"),
    TOPIC_DISALLOWED(
            "TopicDisallowed",
            400,
            RetryAdvice.NEVER,
            "pushing to this topic is not allowed (for broadcasts and channels: the bundle id must carry no push-type"
                    + " suffix)"),

    // 400, broadcast and channel management
    FEATURE_NOT_ENABLED(
            "FeatureNotEnabled",
            400,
            RetryAdvice.NEVER,
            "broadcast is not enabled for this app: turn on the Broadcast Capability of the App ID in the developer"
                    + " portal"),
    MISSING_CHANNEL_ID("MissingChannelId", 400, RetryAdvice.NEVER, "the apns-channel-id header is missing"),
    BAD_CHANNEL_ID("BadChannelId", 400, RetryAdvice.NEVER, "the apns-channel-id header is badly encoded or too long"),
    CHANNEL_NOT_REGISTERED(
            "ChannelNotRegistered",
            400,
            RetryAdvice.NEVER,
            "the channel does not exist (deleted, or created in the other environment)"),
    BAD_REQUEST_PARAMS("BadRequestParams", 400, RetryAdvice.NEVER, "the JSON body has an attribute APNs does not know"),
    BAD_REQUEST_PAYLOAD("BadRequestPayload", 400, RetryAdvice.NEVER, "the JSON body cannot be parsed"),
    MISSING_PUSH_TYPE("MissingPushType", 400, RetryAdvice.NEVER, "the apns-push-type header is missing"),
    CANNOT_CREATE_CHANNEL_CONFIG(
            "CannotCreateChannelConfig",
            400,
            RetryAdvice.NEVER,
            "the app has reached its channel limit (10 000 per environment): delete channels it no longer uses"),

    // 403
    BAD_CERTIFICATE("BadCertificate", 403, RetryAdvice.NEVER, "the client certificate is invalid"),
    BAD_CERTIFICATE_ENVIRONMENT(
            "BadCertificateEnvironment",
            403,
            RetryAdvice.NEVER,
            "the client certificate is for the other environment (sandbox vs production)"),
    EXPIRED_PROVIDER_TOKEN(
            "ExpiredProviderToken",
            403,
            RetryAdvice.AFTER_NEW_TOKEN,
            "the provider token is older than an hour; mint a new one"),
    FORBIDDEN("Forbidden", 403, RetryAdvice.NEVER, "the action is not allowed"),
    INVALID_PROVIDER_TOKEN(
            "InvalidProviderToken",
            403,
            RetryAdvice.NEVER,
            "the provider token is not valid, or its signature does not verify with the key id"),
    MISSING_PROVIDER_TOKEN(
            "MissingProviderToken", 403, RetryAdvice.NEVER, "no client certificate and no provider token"),
    UNRELATED_KEY_ID_IN_TOKEN(
            "UnrelatedKeyIdInToken",
            403,
            RetryAdvice.ON_ANOTHER_CONNECTION,
            "the token's key id differs from the one this connection started with; open a new" + " connection"),
    BAD_ENVIRONMENT_KEY_ID_IN_TOKEN(
            "BadEnvironmentKeyIdInToken",
            403,
            RetryAdvice.NEVER,
            "the token's key is for the other environment (sandbox vs production)"),
    TOPIC_MISMATCH(
            "TopicMismatch",
            403,
            RetryAdvice.NEVER,
            "the certificate or token does not cover the bundle id in the path (broadcast and channel requests)"),

    // 404, 405
    BAD_PATH("BadPath", 404, RetryAdvice.NEVER, "the request path is wrong"),
    METHOD_NOT_ALLOWED(
            "MethodNotAllowed",
            405,
            RetryAdvice.NEVER,
            "the method is not allowed on this path (POST for pushes and broadcasts)"),

    // 410
    EXPIRED_TOKEN("ExpiredToken", 410, RetryAdvice.NEVER, "the device token has expired; stop sending to it"),
    UNREGISTERED(
            "Unregistered",
            410,
            RetryAdvice.NEVER,
            "the device token is no longer active for the topic; stop sending to it"),

    // 413
    PAYLOAD_TOO_LARGE(
            "PayloadTooLarge",
            413,
            RetryAdvice.NEVER,
            "the payload is too large (4096 bytes, 5120 for VoIP and for broadcasts)"),

    // 429
    TOO_MANY_PROVIDER_TOKEN_UPDATES(
            "TooManyProviderTokenUpdates",
            429,
            RetryAdvice.AFTER_BACKOFF,
            "the provider token was renewed more than once in 20 minutes"),
    TOO_MANY_REQUESTS(
            "TooManyRequests",
            429,
            RetryAdvice.AFTER_BACKOFF,
            "too many requests to the same device token in a row, or broadcasts or channel requests throttled"),

    // 500, 503
    INTERNAL_SERVER_ERROR("InternalServerError", 500, RetryAdvice.AFTER_BACKOFF, "an internal server error at APNs"),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, RetryAdvice.AFTER_BACKOFF, "APNs is unavailable"),
    SHUTDOWN("Shutdown", 503, RetryAdvice.ON_ANOTHER_CONNECTION, "the APNs server is shutting down this connection"),

    /**
     * A reason this version does not know, or none at all. Its status is 0: look at the response's status instead (see
     * {@link RetryAdvice#forResponse(Reason, int)}).
     */
    UNKNOWN("Unknown", 0, RetryAdvice.NEVER, "a reason this version of aapns does not know");

    private static final Map<String, Reason> BY_TEXT = new HashMap<>();

    static {
        for (Reason reason : values()) {
            if (reason != UNKNOWN) {
                BY_TEXT.put(reason.text, reason);
            }
        }
        // Spelling seen in the wild besides the documented BadEnvironmentKeyIdInToken.
        BY_TEXT.put("BadEnvironmentKeyInToken", BAD_ENVIRONMENT_KEY_ID_IN_TOKEN);
    }

    private final String text;
    private final int status;
    private final RetryAdvice retryAdvice;
    private final String description;

    Reason(String text, int status, RetryAdvice retryAdvice, String description) {
        this.text = text;
        this.status = status;
        this.retryAdvice = retryAdvice;
        this.description = description;
    }

    /**
     * Returns the reason for Apple's text, such as {@code "BadDeviceToken"}; {@link #UNKNOWN} for null or text this
     * version does not know (keep the text yourself if you need it).
     */
    public static Reason fromString(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        Reason reason = BY_TEXT.get(text);
        return reason != null ? reason : UNKNOWN;
    }

    /** Returns the reason as Apple spells it, such as {@code "BadDeviceToken"}. */
    public String text() {
        return text;
    }

    /** Returns the HTTP status APNs sends with this reason; 0 for {@link #UNKNOWN}. */
    public int status() {
        return status;
    }

    /** Returns Apple's advice on sending the same notification again. */
    public RetryAdvice retryAdvice() {
        return retryAdvice;
    }

    /**
     * Returns true when Apple allows sending the same notification again (possibly after a delay, a new token or on
     * another connection); false for reasons such as {@code BadDeviceToken}, {@code Unregistered} or
     * {@code PayloadTooLarge}.
     */
    public boolean isRetryable() {
        return retryAdvice.isRetryable();
    }

    /** Returns true for 410 reasons: the device token is dead; stop sending to it. */
    public boolean isTokenInvalid() {
        return status == 410;
    }

    /** Returns a short English explanation, for log and exception messages. */
    public String description() {
        return description;
    }

    /**
     * Returns a bounded name for an answer, the one rule for counters, metric tags and statistics keys: Apple's reason
     * when this version knows it (such as {@code "ServiceUnavailable"}), {@code "status-NNN"} when the answer carries
     * no reason, and {@code "other"} for any other text, so that a server's own words never become a key.
     */
    public static String keyOf(int status, String text) {
        if (text == null) {
            return "status-" + status;
        }
        Reason reason = fromString(text);
        return reason == UNKNOWN ? "other" : reason.text;
    }

    /** Returns Apple's spelling, such as {@code "BadDeviceToken"}. */
    @Override
    public String toString() {
        return text;
    }
}
