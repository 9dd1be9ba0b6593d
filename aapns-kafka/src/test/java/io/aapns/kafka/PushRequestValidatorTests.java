package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.api.SendOptions;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import io.aapns.model.PushType;
import org.junit.jupiter.api.Test;

/** The client's checks, made on a request: the same messages as {@code ApnsClient.send}'s. */
class PushRequestValidatorTests {

    static final String TOKEN = PushRequestCodecTests.TOKEN;

    final PushRequestValidator validator = new PushRequestValidator("com.example.app", true);

    static PushRequest request(String token, Notification notification, SendOptions options) {
        return PushRequest.builder(token, notification).options(options).build();
    }

    @Test
    void theTokenIsNormalizedAsTheClientDoes() {
        PushRequest valid = validator.validate(request(
                "<" + TOKEN.substring(0, 8).toUpperCase() + " " + TOKEN.substring(8) + ">",
                Notification.builder().alert("x").build(),
                SendOptions.defaults()));
        assertThat(valid.deviceToken()).isEqualTo(TOKEN);
    }

    @Test
    void aTokenThatIsNotHexFails() {
        assertThatThrownBy(() -> validator.validate(
                        request("not-a-token", Notification.builder().alert("x").build(), SendOptions.defaults())))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("has 'n' at index 0: a device token is hex digits");
    }

    @Test
    void aPayloadOverThePushTypesLimitFails() {
        Notification big = Notification.builder().alert("x".repeat(4100)).build();
        assertThatThrownBy(() -> validator.validate(request(TOKEN, big, SendOptions.defaults())))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("over the 4096-byte limit of push type alert");
        // VoIP allows 5120 bytes.
        validator.validate(request(
                TOKEN, big, SendOptions.builder().pushType(PushType.VOIP).build()));
    }

    @Test
    void aBackgroundPushWithPriority10Fails() {
        Notification background = Notification.builder().contentAvailable(true).build();
        assertThatThrownBy(() -> validator.validate(request(
                        TOKEN,
                        background,
                        SendOptions.builder().priority(Priority.IMMEDIATE).build())))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("a background push (content-available only) must have priority 5");
    }

    @Test
    void noTopicFailsOnlyWhereOneIsRequired() {
        PushRequest noTopic = request(TOKEN, Notification.builder().alert("x").build(), SendOptions.defaults());
        assertThatThrownBy(() -> new PushRequestValidator(null, true).validate(noTopic))
                .isInstanceOf(InvalidPushRequestException.class)
                .hasMessageContaining("no topic");
        assertThat(new PushRequestValidator(null, false).validate(noTopic)).isEqualTo(noTopic);
    }
}
