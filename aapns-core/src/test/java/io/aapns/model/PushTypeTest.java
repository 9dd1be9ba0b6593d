package io.aapns.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PushTypeTest {

    /** Apple's list "Know when to use push types" (and WidgetKit's pages for widgets and controls), by hand. */
    @ParameterizedTest(name = "{0}: header {1}, {2} bytes, suffix ''{3}''")
    @CsvSource({
        "ALERT, alert, 4096, ''",
        "BACKGROUND, background, 4096, ''",
        "LOCATION, location, 4096, .location-query",
        "VOIP, voip, 5120, .voip",
        "COMPLICATION, complication, 4096, .complication",
        "FILEPROVIDER, fileprovider, 4096, .pushkit.fileprovider",
        "MDM, mdm, 4096, ''",
        "LIVEACTIVITY, liveactivity, 4096, .push-type.liveactivity",
        "PUSHTOTALK, pushtotalk, 4096, .voip-ptt",
        "WIDGETS, widgets, 4096, .push-type.widgets",
        "CONTROLS, controls, 4096, .push-type.controls",
    })
    void headerValueLimitAndTopicSuffix(PushType type, String header, int limit, String suffix) {
        assertThat(type.headerValue()).isEqualTo(header);
        assertThat(type.maxPayloadBytes()).isEqualTo(limit);
        assertThat(type.topicSuffix()).isEqualTo(suffix);
        assertThat(type.topicFor("com.example.app")).isEqualTo("com.example.app" + suffix);
        assertThat(type.topicFor("com.example.app" + suffix)).isEqualTo("com.example.app" + suffix);
        assertThat(PushType.fromHeaderValue(header)).isEqualTo(type);
        assertThat(PushType.fromHeaderValue(header.toUpperCase())).isEqualTo(type);
    }

    @Test
    void allElevenOfApplesPushTypes() {
        assertThat(PushType.values()).hasSize(11);
    }

    @ParameterizedTest(name = "{0} token-only: {1}")
    @CsvSource({
        "ALERT, false",
        "BACKGROUND, false",
        "LOCATION, true",
        "VOIP, false",
        "COMPLICATION, false",
        "FILEPROVIDER, false",
        "MDM, false",
        "LIVEACTIVITY, false",
        "PUSHTOTALK, false",
        "WIDGETS, false",
        "CONTROLS, false",
    })
    void onlyLocationNeedsTokenAuthentication(PushType type, boolean tokenOnly) {
        assertThat(type.requiresTokenAuthentication()).isEqualTo(tokenOnly);
    }

    @Test
    void liveActivityStartTakesAPushTokenOrAChannelNotBoth() {
        LiveActivity.Builder start = LiveActivity.start()
                .timestamp(Instant.ofEpochSecond(1_700_000_000))
                .contentState(Map.of("score", "0-0"))
                .attributesType("MatchAttributes")
                .attributes(Map.of("match", "A-B"))
                .inputPushToken(true)
                .inputPushChannel("dHN0LXNyY2gtY2hubA==");
        assertThatThrownBy(start::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input-push-token or input-push-channel, not both");
        assertThat(start.inputPushToken(false).build().inputPushChannel()).isEqualTo("dHN0LXNyY2gtY2hubA==");
        assertThat(start.inputPushToken(true).inputPushChannel(null).build().inputPushToken())
                .isTrue();
    }

    @Test
    void unknownHeaderValueIsRejected() {
        assertThatThrownBy(() -> PushType.fromHeaderValue("sms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sms'");
    }

    @Test
    void inferredWhereObvious() {
        assertThat(PushType.inferFrom(Notification.builder().alert("x").build()))
                .contains(PushType.ALERT);
        assertThat(PushType.inferFrom(Notification.builder().badge(0).build())).contains(PushType.ALERT);
        assertThat(PushType.inferFrom(Notification.builder().sound("default").build()))
                .contains(PushType.ALERT);
        assertThat(PushType.inferFrom(
                        Notification.builder().alert("x").contentAvailable(true).build()))
                .contains(PushType.ALERT);
        assertThat(PushType.inferFrom(
                        Notification.builder().contentAvailable(true).build()))
                .contains(PushType.BACKGROUND);
        assertThat(PushType.inferFrom(
                        Notification.builder().contentChanged(true).build()))
                .contains(PushType.WIDGETS);
        assertThat(PushType.inferFrom(Notification.builder()
                        .alert("x")
                        .liveActivity(
                                LiveActivity.end().timestamp(Instant.EPOCH).build())
                        .build()))
                .contains(PushType.LIVEACTIVITY);
    }

    @Test
    void notInferredWhenTheSenderMustSay() {
        assertThat(PushType.inferFrom(
                        Notification.builder().customKey("call", Map.of()).build()))
                .isEmpty();
        assertThat(PushType.inferFrom(Notification.ofJson("{\"aps\":{\"alert\":\"x\"}}")))
                .isEmpty();
    }

    @Test
    void prioritiesAndTheirHeaderValues() {
        assertThat(Priority.IMMEDIATE.value()).isEqualTo(10);
        assertThat(Priority.CONSIDER_POWER.headerValue()).isEqualTo("5");
        assertThat(Priority.PRIORITIZE_POWER.value()).isEqualTo(1);
        assertThat(Priority.of(5)).isEqualTo(Priority.CONSIDER_POWER);
        assertThatThrownBy(() -> Priority.of(7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 7");
    }
}
