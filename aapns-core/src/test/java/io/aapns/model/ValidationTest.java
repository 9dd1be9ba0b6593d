package io.aapns.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValidationTest {

    private static final String TOKEN =
            "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

    @Test
    void tokensArePastedWithSpacesAndAngleBracketsAndUppercase() {
        assertThat(Validation.normalizeDeviceToken(
                "<740F4707 BEBCF74F 9B7C25D4 8E335894 5F6AA01D A5DDB387 462C7EAF 61BB78AD>"))
                .isEqualTo(TOKEN);
        assertThat(Validation.normalizeDeviceToken(" " + TOKEN + "\n")).isEqualTo(TOKEN);
    }

    @Test
    void aTokenThatIsNotHexNamesTheCharacter() {
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("abcg"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'g' at index 3").hasMessageContaining("hex");
    }

    @Test
    void emptyNullAndOddLengthTokensAreRejected() {
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("< >"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Validation.normalizeDeviceToken(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 hex digits");
    }

    /** {"aps":{"alert":"xxx..."}} of exactly the given size. */
    private static Notification ofSize(int size) {
        int overhead = "{\"aps\":{\"alert\":\"\"}}".length();
        Notification n = Notification.builder().alert("x".repeat(size - overhead)).build();
        assertThat(n.payloadSize()).isEqualTo(size);
        return n;
    }

    @ParameterizedTest
    @EnumSource(PushType.class)
    void payloadAtTheLimitPassesAndOneByteMoreIsRejected(PushType type) {
        int limit = type == PushType.VOIP ? 5120 : 4096;
        assertThat(type.maxPayloadBytes()).isEqualTo(limit);

        assertThatCode(() -> Validation.checkPayloadSize(ofSize(limit), type))
                .doesNotThrowAnyException();
        Notification tooBig = ofSize(limit + 1);
        assertThatThrownBy(() -> Validation.checkPayloadSize(tooBig, type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining((limit + 1) + " bytes")
                .hasMessageContaining(limit + "-byte limit")
                .hasMessageContaining(type.headerValue());
    }

    @Test
    void multiByteCharactersCountAsBytes() {
        // 2046 two-byte characters + 20 bytes of JSON = 4112 bytes, though only 2066 chars
        Notification n = Notification.builder().alert("é".repeat(2046)).build();

        assertThat(n.payloadSize()).isEqualTo(4112);
        assertThatThrownBy(() -> Validation.checkPayloadSize(n, PushType.ALERT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void collapseIdUpTo64Utf8Bytes() {
        assertThat(Validation.checkCollapseId(null)).isNull();
        assertThat(Validation.checkCollapseId("a".repeat(64))).hasSize(64);
        assertThatThrownBy(() -> Validation.checkCollapseId("a".repeat(65)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65 bytes");
        // 32 two-byte characters = 64 bytes: fine; 33 = 66 bytes: not
        assertThat(Validation.checkCollapseId("é".repeat(32))).hasSize(32);
        assertThatThrownBy(() -> Validation.checkCollapseId("é".repeat(33)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("66 bytes");
        assertThatThrownBy(() -> Validation.checkCollapseId(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void topicMustBePresentAndOneWord() {
        assertThat(Validation.checkTopic("com.example.app")).isEqualTo("com.example.app");
        assertThatThrownBy(() -> Validation.checkTopic(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no topic");
        assertThatThrownBy(() -> Validation.checkTopic("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no topic");
        assertThatThrownBy(() -> Validation.checkTopic("com.example app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 11");
    }

    @Test
    void backgroundPushesMustNotHavePriorityTen() {
        assertThatThrownBy(() -> Validation.checkPriority(PushType.BACKGROUND, Priority.IMMEDIATE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority 5");
        assertThatCode(() -> Validation.checkPriority(PushType.BACKGROUND, Priority.CONSIDER_POWER))
                .doesNotThrowAnyException();
        assertThatCode(() -> Validation.checkPriority(PushType.ALERT, Priority.IMMEDIATE))
                .doesNotThrowAnyException();
    }
}
