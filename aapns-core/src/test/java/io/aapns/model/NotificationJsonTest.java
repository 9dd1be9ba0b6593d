package io.aapns.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden JSON of every model field: exact bytes, keys as Apple spells them, fixed order. */
class NotificationJsonTest {

    private static String json(Notification.Builder builder) {
        return builder.build().toJson();
    }

    @Test
    void alertAsPlainString() {
        assertThat(json(Notification.builder().alert("Hello"))).isEqualTo("{\"aps\":{\"alert\":\"Hello\"}}");
    }

    @Test
    void alertDictionaryWithTitleSubtitleBodyAndLaunchImage() {
        Alert alert = Alert.builder()
                .title("Title")
                .subtitle("Sub")
                .body("Body")
                .launchImage("splash.png")
                .build();

        assertThat(json(Notification.builder().alert(alert)))
                .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"Title\",\"subtitle\":\"Sub\",\"body\":\"Body\","
                        + "\"launch-image\":\"splash.png\"}}}");
    }

    @Test
    void localizedAlertWithArgs() {
        Alert alert = Alert.builder()
                .title(Localized.of("TITLE_KEY", "a"))
                .subtitle(Localized.of("SUB_KEY"))
                .body(Localized.of("GREETING", "Bob", "Alice"))
                .build();

        assertThat(json(Notification.builder().alert(alert)))
                .isEqualTo("{\"aps\":{\"alert\":{\"title-loc-key\":\"TITLE_KEY\",\"title-loc-args\":[\"a\"],"
                        + "\"subtitle-loc-key\":\"SUB_KEY\","
                        + "\"loc-key\":\"GREETING\",\"loc-args\":[\"Bob\",\"Alice\"]}}}");
    }

    @Test
    void theIssuesQuickstartNotification() {
        Notification n = Notification.builder()
                .alert(Alert.builder()
                        .title("Hi")
                        .body(Localized.of("GREETING", "Bob"))
                        .build())
                .badge(0)
                .sound("default")
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"Hi\","
                        + "\"loc-key\":\"GREETING\",\"loc-args\":[\"Bob\"]},\"badge\":0,\"sound\":\"default\"}}");
    }

    @Test
    void badgeZeroIsIncluded() {
        assertThat(json(Notification.builder().badge(0))).isEqualTo("{\"aps\":{\"badge\":0}}");
        assertThat(json(Notification.builder().badge(7))).isEqualTo("{\"aps\":{\"badge\":7}}");
    }

    @Test
    void negativeBadgeIsRejected() {
        assertThatThrownBy(() -> Notification.builder().badge(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void soundByName() {
        assertThat(json(Notification.builder().sound("chime.aiff"))).isEqualTo("{\"aps\":{\"sound\":\"chime.aiff\"}}");
        assertThat(json(Notification.builder().sound(Sound.defaultSound())))
                .isEqualTo("{\"aps\":{\"sound\":\"default\"}}");
    }

    @Test
    void criticalSoundIsADictionary() {
        assertThat(json(Notification.builder().sound(Sound.critical("alarm.caf", 0.5))))
                .isEqualTo("{\"aps\":{\"sound\":{\"critical\":1,\"name\":\"alarm.caf\",\"volume\":0.5}}}");
    }

    @Test
    void criticalSoundVolumeOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> Sound.critical("default", 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> Sound.critical("default", Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backgroundPushWithoutAlert() {
        Notification n = Notification.builder().contentAvailable(true).build();

        assertThat(n.toJson()).isEqualTo("{\"aps\":{\"content-available\":1}}");
        assertThat(PushType.inferFrom(n)).contains(PushType.BACKGROUND);
    }

    @Test
    void everyScalarApsFieldInItsFixedOrder() {
        Notification n = Notification.builder()
                .filterCriteria("work")
                .relevanceScore(0.75)
                .interruptionLevel(InterruptionLevel.TIME_SENSITIVE)
                .targetContentId("window-1")
                .mutableContent(true)
                .contentAvailable(true)
                .category("MESSAGE")
                .threadId("chat-9")
                .staleDate(Instant.ofEpochSecond(1_800_000_000L))
                .alert("Hi")
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"alert\":\"Hi\",\"thread-id\":\"chat-9\","
                        + "\"category\":\"MESSAGE\",\"content-available\":1,\"mutable-content\":1,"
                        + "\"target-content-id\":\"window-1\",\"interruption-level\":\"time-sensitive\","
                        + "\"relevance-score\":0.75,\"filter-criteria\":\"work\",\"stale-date\":1800000000}}");
    }

    @Test
    void everyInterruptionLevelIsSpelledAsApple() {
        assertThat(InterruptionLevel.PASSIVE.value()).isEqualTo("passive");
        assertThat(InterruptionLevel.ACTIVE.value()).isEqualTo("active");
        assertThat(InterruptionLevel.TIME_SENSITIVE.value()).isEqualTo("time-sensitive");
        assertThat(InterruptionLevel.CRITICAL.value()).isEqualTo("critical");
        assertThat(json(Notification.builder().interruptionLevel(InterruptionLevel.CRITICAL)))
                .isEqualTo("{\"aps\":{\"interruption-level\":\"critical\"}}");
    }

    @Test
    void widgetsContentChanged() {
        Notification n = Notification.builder().contentChanged(true).build();

        assertThat(n.toJson()).isEqualTo("{\"aps\":{\"content-changed\":true}}");
        assertThat(PushType.inferFrom(n)).contains(PushType.WIDGETS);
    }

    @Test
    void customKeysFollowApsInTheOrderAdded() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", List.of(true, "x", 2.5));
        nested.put("n", null);
        Notification n = Notification.builder()
                .customKey("b", "second?")
                .alert("Hi")
                .customKey("a", nested)
                .customKey("long", 12_345_678_901L)
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"alert\":\"Hi\"},\"b\":\"second?\","
                        + "\"a\":{\"z\":1,\"a\":[true,\"x\",2.5],\"n\":null},\"long\":12345678901}");
    }

    @Test
    void customKeysCannotClobberAps() {
        assertThatThrownBy(() -> Notification.builder().customKey("aps", Map.of("alert", "evil")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"aps\"");
        assertThatThrownBy(() -> Notification.builder().customKeys(Map.of("aps", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"aps\"");
    }

    @Test
    void customValuesAreSnapshottedWhenAdded() {
        List<Object> list = new ArrayList<>(List.of(1));
        Notification n = Notification.builder().customKey("l", list).build();
        list.add(2);

        assertThat(n.toJson()).isEqualTo("{\"l\":[1]}");
    }

    record Score(String home, int away) {}

    @Test
    void recordsAreConvertedWithJackson() {
        Notification n =
                Notification.builder().customKey("score", new Score("A", 2)).build();

        assertThat(n.toJson()).isEqualTo("{\"score\":{\"home\":\"A\",\"away\":2}}");
    }

    @Test
    void jacksonTreesAreObjectsNotIterables() {
        tools.jackson.databind.JsonNode tree =
                tools.jackson.databind.json.JsonMapper.shared().readTree("{\"a\":[1,\"b\"],\"c\":true}");
        Notification n = Notification.builder()
                .customKey("tree", tree)
                .customKey("text", tools.jackson.databind.node.JsonNodeFactory.instance.stringNode("t"))
                .build();

        assertThat(n.toJson()).isEqualTo("{\"tree\":{\"a\":[1,\"b\"],\"c\":true},\"text\":\"t\"}");
    }

    @Test
    void nonStringMapKeysAndNanAreRejectedWithThePath() {
        assertThatThrownBy(() -> Notification.builder().customKey("m", Map.of(1, "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("custom key \"m\"")
                .hasMessageContaining("strings");
        assertThatThrownBy(() -> Notification.builder().customKey("d", List.of(Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("d\"[0]");
    }

    @Test
    void onlyCustomKeysLeavesApsOut() {
        assertThat(json(Notification.builder().customKey("mdm", "magic"))).isEqualTo("{\"mdm\":\"magic\"}");
    }

    @Test
    void anEmptyNotificationIsRejected() {
        assertThatThrownBy(() -> Notification.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void anEmptyAlertIsRejected() {
        assertThatThrownBy(() -> Alert.builder().launchImage("x.png").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("title");
    }

    @Test
    void textIsEscapedAndNonAsciiIsUtf8() {
        Notification n = Notification.builder().alert("say \"hi\" / ünï 🎉\n").build();

        assertThat(n.toJson()).isEqualTo("{\"aps\":{\"alert\":\"say \\\"hi\\\" / ünï 🎉\\n\"}}");
        assertThat(n.payloadSize()).isEqualTo(n.toJson().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void liveActivityUpdate() {
        Notification n = Notification.builder()
                .liveActivity(LiveActivity.update()
                        .timestamp(Instant.ofEpochSecond(1_700_000_000L))
                        .contentState(Map.of("score", "2-1"))
                        .build())
                .staleDate(Instant.ofEpochSecond(1_700_000_600L))
                .relevanceScore(100)
                .alert(Alert.builder().title("Goal!").body("2-1").build())
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"Goal!\",\"body\":\"2-1\"},"
                        + "\"relevance-score\":100.0,\"stale-date\":1700000600,"
                        + "\"timestamp\":1700000000,\"event\":\"update\",\"content-state\":{\"score\":\"2-1\"}}}");
        assertThat(PushType.inferFrom(n)).contains(PushType.LIVEACTIVITY);
    }

    @Test
    void liveActivityStartWithAttributesAndToken() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("home", "A");
        attributes.put("away", "B");
        Notification n = Notification.builder()
                .liveActivity(LiveActivity.start()
                        .timestamp(Instant.ofEpochSecond(1_700_000_000L))
                        .contentState(new Score("0", 0))
                        .attributesType("MatchAttributes")
                        .attributes(attributes)
                        .inputPushToken(true)
                        .build())
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"timestamp\":1700000000,\"event\":\"start\","
                        + "\"content-state\":{\"home\":\"0\",\"away\":0},\"attributes-type\":\"MatchAttributes\","
                        + "\"attributes\":{\"home\":\"A\",\"away\":\"B\"},\"input-push-token\":1}}");
    }

    @Test
    void liveActivityStartOverAChannel() {
        Notification n = Notification.builder()
                .liveActivity(LiveActivity.start()
                        .timestamp(Instant.ofEpochSecond(1_700_000_000L))
                        .contentState(new Score("0", 0))
                        .attributesType("MatchAttributes")
                        .attributes(Map.of("home", "A"))
                        .inputPushChannel("dHN0LXNyY2gtY2hubA==")
                        .build())
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"timestamp\":1700000000,\"event\":\"start\","
                        + "\"content-state\":{\"home\":\"0\",\"away\":0},\"attributes-type\":\"MatchAttributes\","
                        + "\"attributes\":{\"home\":\"A\"},\"input-push-channel\":\"dHN0LXNyY2gtY2hubA==\"}}");
    }

    @Test
    void liveActivityEndWithDismissalDate() {
        Notification n = Notification.builder()
                .liveActivity(LiveActivity.end()
                        .timestamp(Instant.ofEpochSecond(1_700_000_000L))
                        .dismissalDate(Instant.ofEpochSecond(1_700_003_600L))
                        .build())
                .build();

        assertThat(n.toJson())
                .isEqualTo("{\"aps\":{\"timestamp\":1700000000,\"event\":\"end\"," + "\"dismissal-date\":1700003600}}");
    }

    @Test
    void liveActivityMissingFieldsAreNamed() {
        Instant t = Instant.ofEpochSecond(1);
        assertThatThrownBy(() -> LiveActivity.update().contentState(Map.of()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestamp");
        assertThatThrownBy(() -> LiveActivity.update().timestamp(t).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("content-state");
        assertThatThrownBy(() -> LiveActivity.start()
                        .timestamp(t)
                        .contentState(Map.of())
                        .attributes(Map.of())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attributes-type");
        assertThatThrownBy(() -> LiveActivity.update()
                        .timestamp(t)
                        .contentState(Map.of())
                        .attributesType("X")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start event only");
        assertThatThrownBy(() -> LiveActivity.update().contentState("not an object"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
    }

    @Test
    void rawJsonIsSentAsGiven() {
        String raw = "{\"aps\":{\"alert\":\"x\"},  \"k\":[1,2]}";
        Notification n = Notification.ofJson(raw);

        assertThat(n.isRaw()).isTrue();
        assertThat(n.toJson()).isEqualTo(raw);
        assertThat(PushType.inferFrom(n)).isEmpty();
    }

    @Test
    void rawJsonMustBeOneWellFormedObject() {
        assertThatThrownBy(() -> Notification.ofJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> Notification.ofJson("{\"aps\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> Notification.ofJson("{} {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("single");
    }

    @Test
    void equalNotificationsHaveEqualPayloads() {
        Notification a = Notification.builder().alert("x").badge(1).build();
        Notification b = a.toBuilder().build();

        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toBuilder().badge(2).build()).isNotEqualTo(a);
        assertThat(a).hasToString("Notification{\"aps\":{\"alert\":\"x\",\"badge\":1}}");
    }

    @Test
    void payloadIsACopy() {
        Notification n = Notification.builder().alert("x").build();
        n.payload()[0] = 'X';

        assertThat(n.toJson()).startsWith("{");
    }
}
