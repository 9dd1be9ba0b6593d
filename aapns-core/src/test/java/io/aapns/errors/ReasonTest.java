package io.aapns.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReasonTest {

    /** Apple's table, written out by hand: text, status. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "BadCollapseId, 400",
        "BadDeviceToken, 400",
        "BadExpirationDate, 400",
        "BadMessageId, 400",
        "BadPriority, 400",
        "BadTopic, 400",
        "DeviceTokenNotForTopic, 400",
        "DuplicateHeaders, 400",
        "IdleTimeout, 400",
        "InvalidPushType, 400",
        "MissingDeviceToken, 400",
        "MissingTopic, 400",
        "PayloadEmpty, 400",
        "TopicDisallowed, 400",
        "FeatureNotEnabled, 400",
        "MissingChannelId, 400",
        "BadChannelId, 400",
        "ChannelNotRegistered, 400",
        "BadRequestParams, 400",
        "BadRequestPayload, 400",
        "MissingPushType, 400",
        "CannotCreateChannelConfig, 400",
        "TopicMismatch, 403",
        "BadCertificate, 403",
        "BadCertificateEnvironment, 403",
        "ExpiredProviderToken, 403",
        "Forbidden, 403",
        "InvalidProviderToken, 403",
        "MissingProviderToken, 403",
        "UnrelatedKeyIdInToken, 403",
        "BadEnvironmentKeyIdInToken, 403",
        "BadPath, 404",
        "MethodNotAllowed, 405",
        "ExpiredToken, 410",
        "Unregistered, 410",
        "PayloadTooLarge, 413",
        "TooManyProviderTokenUpdates, 429",
        "TooManyRequests, 429",
        "InternalServerError, 500",
        "ServiceUnavailable, 503",
        "Shutdown, 503",
    })
    void everyReasonOfApplesTableIsParsedWithItsStatus(String text, int status) {
        Reason reason = Reason.fromString(text);

        assertThat(reason).isNotEqualTo(Reason.UNKNOWN);
        assertThat(reason.text()).isEqualTo(text);
        assertThat(reason.toString()).isEqualTo(text);
        assertThat(reason.status()).isEqualTo(status);
    }

    @Test
    void theEnumHasExactlyTheTableOfApplesReasonsPlusUnknown() {
        assertThat(Reason.values()).hasSize(32 + 9 + 1);
        Set<String> texts = Arrays.stream(Reason.values()).map(Reason::text).collect(Collectors.toSet());
        assertThat(texts).hasSize(42);
    }

    @Test
    void theAlternateSpellingOfBadEnvironmentKeyIdInTokenIsAccepted() {
        assertThat(Reason.fromString("BadEnvironmentKeyInToken")).isEqualTo(Reason.BAD_ENVIRONMENT_KEY_ID_IN_TOKEN);
    }

    @Test
    void unknownOrMissingTextIsUnknownWithStatusZero() {
        assertThat(Reason.fromString("SomethingNew")).isEqualTo(Reason.UNKNOWN);
        assertThat(Reason.fromString(null)).isEqualTo(Reason.UNKNOWN);
        assertThat(Reason.fromString("")).isEqualTo(Reason.UNKNOWN);
        assertThat(Reason.fromString("baddevicetoken")).isEqualTo(Reason.UNKNOWN);
        assertThat(Reason.UNKNOWN.status()).isZero();
    }

    @Test
    void appleSaysNeverResendThese() {
        for (Reason reason : EnumSet.of(
                Reason.BAD_DEVICE_TOKEN,
                Reason.DEVICE_TOKEN_NOT_FOR_TOPIC,
                Reason.FORBIDDEN,
                Reason.EXPIRED_TOKEN,
                Reason.UNREGISTERED,
                Reason.PAYLOAD_TOO_LARGE)) {
            assertThat(reason.isRetryable()).as(reason.text()).isFalse();
            assertThat(reason.retryAdvice()).as(reason.text()).isEqualTo(RetryAdvice.NEVER);
        }
    }

    /** The broadcast and channel reasons of Apple's error table: what to fix is on the sender's side. */
    @ParameterizedTest(name = "{0}: {1}, never re-sent")
    @CsvSource({
        "FeatureNotEnabled, 400",
        "MissingChannelId, 400",
        "BadChannelId, 400",
        "ChannelNotRegistered, 400",
        "BadRequestParams, 400",
        "BadRequestPayload, 400",
        "MissingPushType, 400",
        "CannotCreateChannelConfig, 400",
        "TopicMismatch, 403",
    })
    void broadcastAndChannelReasonsAreNeverResent(String text, int status) {
        Reason reason = Reason.fromString(text);
        assertThat(reason.status()).isEqualTo(status);
        assertThat(reason.retryAdvice()).isEqualTo(RetryAdvice.NEVER);
        assertThat(RetryAdvice.forResponse(reason, status)).isEqualTo(RetryAdvice.NEVER);
        assertThat(reason.isTokenInvalid()).isFalse();
        assertThat(reason.description()).isNotBlank();
    }

    @Test
    void throttlingAndServerErrorsAreRetriedWithBackoff() {
        for (Reason reason : EnumSet.of(
                Reason.TOO_MANY_REQUESTS,
                Reason.INTERNAL_SERVER_ERROR,
                Reason.SERVICE_UNAVAILABLE,
                Reason.TOO_MANY_PROVIDER_TOKEN_UPDATES)) {
            assertThat(reason.retryAdvice()).as(reason.text()).isEqualTo(RetryAdvice.AFTER_BACKOFF);
            assertThat(reason.isRetryable()).as(reason.text()).isTrue();
        }
    }

    @Test
    void shutdownAndIdleTimeoutGoToAnotherConnection() {
        assertThat(Reason.SHUTDOWN.retryAdvice()).isEqualTo(RetryAdvice.ON_ANOTHER_CONNECTION);
        assertThat(Reason.IDLE_TIMEOUT.retryAdvice()).isEqualTo(RetryAdvice.ON_ANOTHER_CONNECTION);
        assertThat(Reason.SHUTDOWN.isRetryable()).isTrue();
    }

    @Test
    void expiredProviderTokenIsRetriedWithANewToken() {
        assertThat(Reason.EXPIRED_PROVIDER_TOKEN.retryAdvice()).isEqualTo(RetryAdvice.AFTER_NEW_TOKEN);
    }

    @Test
    void everyReasonOfStatus410InvalidatesTheDeviceToken() {
        Set<Reason> tokenInvalid =
                Arrays.stream(Reason.values()).filter(Reason::isTokenInvalid).collect(Collectors.toSet());
        assertThat(tokenInvalid).containsExactlyInAnyOrder(Reason.EXPIRED_TOKEN, Reason.UNREGISTERED);
    }

    @Test
    void unknownReasonsFallBackOnTheStatus() {
        assertThat(RetryAdvice.forResponse(Reason.UNKNOWN, 503)).isEqualTo(RetryAdvice.AFTER_BACKOFF);
        assertThat(RetryAdvice.forResponse(Reason.UNKNOWN, 500)).isEqualTo(RetryAdvice.AFTER_BACKOFF);
        assertThat(RetryAdvice.forResponse(Reason.UNKNOWN, 429)).isEqualTo(RetryAdvice.AFTER_BACKOFF);
        assertThat(RetryAdvice.forResponse(Reason.UNKNOWN, 400)).isEqualTo(RetryAdvice.NEVER);
        assertThat(RetryAdvice.forResponse(null, 410)).isEqualTo(RetryAdvice.NEVER);
        assertThat(RetryAdvice.forResponse(Reason.BAD_DEVICE_TOKEN, 503)).isEqualTo(RetryAdvice.NEVER);
    }

    /** The one rule for bounded keys: status, Apple's text or none -> key. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            nullValues = "null",
            value = {
                "500, InternalServerError, InternalServerError",
                "503, ServiceUnavailable, ServiceUnavailable",
                "410, Unregistered, Unregistered",
                "503, null, status-503",
                "200, null, status-200",
                "500, a server's own words, other",
                "400, badDeviceToken, other",
            })
    void keysAreBounded(int status, String text, String key) {
        assertThat(Reason.keyOf(status, text)).isEqualTo(key);
    }

    @Test
    void aLongInventedReasonIsOther() {
        assertThat(Reason.keyOf(500, "x".repeat(10_000))).isEqualTo("other");
    }
}
