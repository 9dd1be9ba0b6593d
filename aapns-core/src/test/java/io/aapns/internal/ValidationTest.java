package io.aapns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValidationTest {

    private static final String TOKEN = "740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad";

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
                .hasMessageContaining("'g' at index 3")
                .hasMessageContaining("hex");
    }

    @Test
    void emptyNullAndOddLengthTokensAreRejected() {
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("< >"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Validation.normalizeDeviceToken(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 hex digits");
    }

    /** {"aps":{"alert":"xxx..."}} of exactly the given size. */
    private static Notification ofSize(int size) {
        int overhead = "{\"aps\":{\"alert\":\"\"}}".length();
        Notification n =
                Notification.builder().alert("x".repeat(size - overhead)).build();
        assertThat(n.payloadSize()).isEqualTo(size);
        return n;
    }

    @ParameterizedTest
    @EnumSource(PushType.class)
    void payloadAtTheLimitPassesAndOneByteMoreIsRejected(PushType type) {
        int limit = type == PushType.VOIP ? 5120 : 4096;
        assertThat(type.maxPayloadBytes()).isEqualTo(limit);

        assertThatCode(() -> Validation.checkPayloadSize(ofSize(limit), type)).doesNotThrowAnyException();
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
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65 bytes");
        assertThatThrownBy(() -> Validation.checkCollapseId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void topicMustBePresentAndOneWord() {
        assertThat(Validation.checkTopic("com.example.app")).isEqualTo("com.example.app");
        assertThatThrownBy(() -> Validation.checkTopic(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no topic");
        assertThatThrownBy(() -> Validation.checkTopic("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no topic");
        assertThatThrownBy(() -> Validation.checkTopic("com.example app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 11");
    }

    @Test
    void widgetsAndControlsPushesCarryContentChanged() {
        Notification reload = Notification.builder().contentChanged(true).build();
        Notification alert = Notification.builder().alert("Hi").build();
        for (PushType type : List.of(PushType.WIDGETS, PushType.CONTROLS)) {
            Validation.checkNotification(reload, type, null);
            assertThatThrownBy(() -> Validation.checkNotification(alert, type, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(type.headerValue())
                    .hasMessageContaining("content-changed");
        }
        Validation.checkNotification(alert, PushType.ALERT, Priority.IMMEDIATE);
        assertThatThrownBy(() -> Validation.checkNotification(
                        Notification.builder().contentAvailable(true).build(), PushType.BACKGROUND, Priority.IMMEDIATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority 5");
    }

    @Test
    void aRawWidgetsOrControlsPayloadIsTheSendersAndPassesAsWritten() {
        // the command line and Kafka hand over raw JSON: the typed content-changed flag is false for it
        Notification raw = Notification.ofJson("{\"aps\":{\"content-changed\":true}}");
        for (PushType type : List.of(PushType.WIDGETS, PushType.CONTROLS)) {
            Validation.checkNotification(raw, type, null);
            Validation.checkNotification(raw, type, Priority.IMMEDIATE);
        }
        // the size limit still holds for raw JSON
        Notification big =
                Notification.ofJson("{\"aps\":{\"content-changed\":true},\"x\":\"" + "a".repeat(4096) + "\"}");
        assertThatThrownBy(() -> Validation.checkNotification(big, PushType.WIDGETS, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4096");
    }

    @Test
    void backgroundPushesMustNotHavePriorityTen() {
        assertThatThrownBy(() -> Validation.checkPriority(PushType.BACKGROUND, Priority.IMMEDIATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority 5");
        assertThatCode(() -> Validation.checkPriority(PushType.BACKGROUND, Priority.CONSIDER_POWER))
                .doesNotThrowAnyException();
        assertThatCode(() -> Validation.checkPriority(PushType.ALERT, Priority.IMMEDIATE))
                .doesNotThrowAnyException();
    }

    @Test
    void collapseIdIsVisibleAsciiWithSpacesOnlyInside() {
        assertThatThrownBy(() -> Validation.checkCollapseId("caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apns-collapse-id must be visible ASCII (0x21-0x7e, spaces only inside):"
                        + " found U+00E9 at index 3");
        // 32 two-byte characters would be 64 bytes of UTF-8 but go out as 32 Latin-1 bytes: refused either way
        assertThatThrownBy(() -> Validation.checkCollapseId("\u00e9".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+00E9 at index 0");
        assertThatThrownBy(() -> Validation.checkCollapseId("a\tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+0009 at index 1");
        assertThatThrownBy(() -> Validation.checkCollapseId("ab\u0001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("found U+0001 at index 2");
        assertThatThrownBy(() -> Validation.checkCollapseId(" score"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apns-collapse-id must not begin or end with a space: ' score'");
        assertThatThrownBy(() -> Validation.checkCollapseId("score "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not begin or end with a space");
        assertThat(Validation.checkCollapseId("score update")).isEqualTo("score update");
        assertThat(Validation.checkCollapseId("~!#$%&'*+-.^_`|")).hasSize(15);
    }

    @Test
    void topicNamesTheHeaderAndTheCharacter() {
        assertThatThrownBy(() -> Validation.checkTopic("com.exampl\u00e9.app"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apns-topic")
                .hasMessageContaining("found U+00E9 at index 10");
        assertThatThrownBy(() -> Validation.checkTopic("com.example\t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apns-topic")
                .hasMessageContaining("found U+0009 at index 11");
    }

    @Test
    void topicUpTo255Characters() {
        String longest = "com." + "a".repeat(251);
        assertThat(Validation.checkTopic(longest))
                .hasSize(Validation.MAX_TOPIC_LENGTH)
                .hasSize(255);
        assertThatThrownBy(() -> Validation.checkTopic(longest + "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 characters")
                .hasMessageContaining("255");
        assertThatThrownBy(() -> Validation.checkTopic("a".repeat(9_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9000 characters");
    }

    @Test
    void deviceTokenUpTo200HexDigits() {
        String longest = "ab".repeat(100);
        assertThat(Validation.normalizeDeviceToken(longest))
                .hasSize(Validation.MAX_DEVICE_TOKEN_DIGITS)
                .hasSize(200);
        // spaces do not count, digits do
        assertThat(Validation.normalizeDeviceToken("<" + "abcd ".repeat(50) + ">"))
                .hasSize(200);
        assertThatThrownBy(() -> Validation.normalizeDeviceToken(longest + "cd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 200 hex digits")
                .hasMessageContaining("64");
        assertThatThrownBy(() -> Validation.normalizeDeviceToken("0".repeat(10_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 200 hex digits")
                .hasMessageNotContaining("0".repeat(100)); // the message quotes the start only
    }
}
