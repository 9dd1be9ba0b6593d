package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.api.SendOptions;
import io.aapns.model.Alert;
import io.aapns.model.InterruptionLevel;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The record format of push requests: round trips, the two notification forms, and errors that name the field. */
class PushRequestCodecTests {

    static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    final PushRequestCodec codec = new PushRequestCodec();

    @Test
    void aRequestWithEveryFieldSurvivesARoundTrip() {
        PushRequest request = PushRequest.builder(
                        TOKEN,
                        Notification.builder()
                                .alert(Alert.builder()
                                        .title("Hi")
                                        .subtitle("there")
                                        .body("Bob")
                                        .build())
                                .badge(3)
                                .sound("default")
                                .category("MESSAGE")
                                .threadId("t-1")
                                .mutableContent(true)
                                .interruptionLevel(InterruptionLevel.TIME_SENSITIVE)
                                .customKey("conversation", 42)
                                .customKey("tags", List.of("a", "b"))
                                .build())
                .options(SendOptions.builder()
                        .pushType(PushType.ALERT)
                        .priority(Priority.CONSIDER_POWER)
                        .expiration(Instant.ofEpochSecond(1_900_000_000L))
                        .collapseId("c-1")
                        .topic("com.example.app")
                        .apnsId(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"))
                        .build())
                .client("news")
                .idempotencyKey("campaign-7/device-1")
                .build();

        String json = codec.encode(request);
        PushRequest back = codec.decode(json);

        assertThat(json).startsWith("{\"v\":1,\"token\":\"" + TOKEN + "\",\"payload\":{\"aps\":");
        assertThat(back).isEqualTo(request);
        assertThat(back.notification().toJson())
                .isEqualTo(request.notification().toJson());
        assertThat(back.options().priority()).hasValue(Priority.CONSIDER_POWER);
        assertThat(back.options().expiration()).hasValue(Instant.ofEpochSecond(1_900_000_000L));
        assertThat(back.options().apnsId()).hasValue(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertThat(back.client()).hasValue("news");
        assertThat(back.idempotencyKey()).hasValue("campaign-7/device-1");
        assertThat(codec.encode(back)).isEqualTo(json);
    }

    @Test
    void aMinimalRequestHasNoOptionsClientOrKey() {
        PushRequest request = PushRequest.builder(
                        TOKEN, Notification.builder().alert("x").build())
                .build();
        String json = codec.encode(request);
        assertThat(json).isEqualTo("{\"v\":1,\"token\":\"" + TOKEN + "\",\"payload\":{\"aps\":{\"alert\":\"x\"}}}");
        PushRequest back = codec.decode(json);
        assertThat(back).isEqualTo(request);
        assertThat(back.client()).isEmpty();
        assertThat(back.idempotencyKey()).isEmpty();
    }

    @Test
    void theNotificationFormGivesTheNotificationBuiltWithTheSameFields() {
        String json = """
                {"v": 1, "token": "%s",
                 "notification": {"alert": {"title": "Hi", "subtitle": "s", "body": "b"}, "badge": 0,
                   "sound": "default", "category": "C", "thread-id": "t", "content-available": true,
                   "mutable-content": true, "relevance-score": 0.5,
                   "custom": {"conversation": 42, "nested": {"a": [1, 2]}}},
                 "options": {"push-type": "alert", "priority": 10}}
                """.formatted(TOKEN);
        Notification expected = Notification.builder()
                .alert(Alert.builder().title("Hi").subtitle("s").body("b").build())
                .badge(0)
                .sound("default")
                .category("C")
                .threadId("t")
                .contentAvailable(true)
                .mutableContent(true)
                .relevanceScore(0.5)
                .customKey("conversation", 42)
                .customKey("nested", Map.of("a", List.of(1, 2)))
                .build();

        PushRequest request = codec.decode(json);

        assertThat(request.notification().toJson()).isEqualTo(expected.toJson());
        assertThat(request.options().pushType()).hasValue(PushType.ALERT);
        assertThat(request.options().priority()).hasValue(Priority.IMMEDIATE);
    }

    @Test
    void aPlainTextAlertIsAccepted() {
        PushRequest request =
                codec.decode("{\"v\":1,\"token\":\"" + TOKEN + "\",\"notification\":{\"alert\":\"Hello\"}}");
        assertThat(request.notification().toJson()).isEqualTo("{\"aps\":{\"alert\":\"Hello\"}}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                | {"v":1,                                                   | the record is not JSON
            not an object           | [1,2]                                                     | not a JSON object
            no version              | {"token":"00","payload":{}}                               | field "v" (the format's version) is missing
            a newer version         | {"v":2,"token":"00","payload":{}}                         | field "v" is 2: this worker reads version 1 only
            no token                | {"v":1,"payload":{"aps":{}}}                              | field "token" is missing
            a number as token       | {"v":1,"token":12,"payload":{"aps":{}}}                   | field "token" must be a string
            neither form            | {"v":1,"token":"00"}                                      | exactly one of "payload" (the APNs payload) and "notification" (its fields), not neither
            both forms              | {"v":1,"token":"00","payload":{},"notification":{}}       | not both
            an unknown field        | {"v":1,"token":"00","payload":{},"colapse-id":"x"}        | unknown field "colapse-id"
            an unknown option       | {"v":1,"token":"00","payload":{},"options":{"prio":5}}    | unknown field "options.prio"
            a bad priority          | {"v":1,"token":"00","payload":{},"options":{"priority":7}} | apns-priority must be 10 (IMMEDIATE), 5 (CONSIDER_POWER) or 1 (PRIORITIZE_POWER), not 7
            a bad push type         | {"v":1,"token":"00","payload":{},"options":{"push-type":"x"}} | unknown apns-push-type 'x'
            a bad apns-id           | {"v":1,"token":"00","payload":{},"options":{"apns-id":"x"}} | field "options.apns-id" is "x", not a UUID
            a negative expiration   | {"v":1,"token":"00","payload":{},"options":{"expiration":-1}} | field "options.expiration" must be epoch seconds
            a negative badge        | {"v":1,"token":"00","notification":{"badge":-1}}          | field "notification.badge" must be a whole number, 0 or more
            a string as flag        | {"v":1,"token":"00","notification":{"content-available":"1"}} | field "notification.content-available" must be true or false
            an unknown level        | {"v":1,"token":"00","notification":{"alert":"x","interruption-level":"loud"}} | use passive, active, time-sensitive or critical
            aps as a custom key     | {"v":1,"token":"00","notification":{"custom":{"aps":{}}}} | the custom key "aps" is reserved
            """)
    void aBadRecordFailsSayingWhatIsWrong(String what, String value, String message) {
        assertThatThrownBy(() -> codec.decode(value))
                .as(what)
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anEmptyRecordFails() {
        assertThatThrownBy(() -> codec.decode(null))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("no value");
    }
}
