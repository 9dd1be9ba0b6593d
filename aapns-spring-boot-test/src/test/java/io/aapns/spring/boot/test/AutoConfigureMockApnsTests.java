package io.aapns.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.errors.Reason;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** A user's {@code @SpringBootTest} with {@link AutoConfigureMockApns}: the client sends to the mock, over real TLS. */
class AutoConfigureMockApnsTests {

    static final String DEVICE = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static PushResult send(ApnsClient client, String text) throws Exception {
        return client.send(DEVICE, Notification.builder().alert(text).build()).get(30, TimeUnit.SECONDS);
    }

    @Nested
    @SpringBootTest(classes = TestApplication.class)
    @AutoConfigureMockApns
    class WithACertificate {

        @Autowired
        ApnsClient client;

        @Autowired
        MockApnsServer mockApnsServer;

        @BeforeEach
        void reset() {
            mockApnsServer.reset();
        }

        @Test
        void theClientSendsToTheMockWithTheCertificateItIssued() throws Exception {
            assertThat(client.server().origin()).isEqualTo(mockApnsServer.uri());
            assertThat(client.clientCertificate()).isPresent();
            assertThat(send(client, "Hello").accepted()).isTrue();
            RecordedRequest received = mockApnsServer.acceptedRequests().get(0);
            assertThat(received.header("apns-topic")).isEqualTo("com.example.app");
            assertThat(received.payloadAsString()).contains("Hello");
        }

        @Test
        void faultSwitchesReachTheClient() throws Exception {
            mockApnsServer.markUnregistered(DEVICE, java.time.Instant.parse("2026-01-01T00:00:00Z"));
            PushResult result = send(client, "gone");
            assertThat(result.accepted()).isFalse();
            assertThat(result.reason()).hasValue(Reason.UNREGISTERED);
            mockApnsServer.forgetDeviceToken(DEVICE);
        }
    }

    @Nested
    @SpringBootTest(classes = TestApplication.class, properties = "aapns.topic=com.example.configured")
    @AutoConfigureMockApns(authentication = AutoConfigureMockApns.Authentication.TOKEN)
    class WithAToken {

        @Autowired
        ApnsClient client;

        @Autowired
        MockApnsServer mockApnsServer;

        @Test
        void theClientSignsWithTheKeyTheMockKnowsAndKeepsTheConfiguredTopic() throws Exception {
            assertThat(client.signingKey()).isPresent();
            assertThat(client.clientCertificate()).isEmpty();
            mockApnsServer.reset();
            assertThat(send(client, "token").accepted()).isTrue();
            RecordedRequest received = mockApnsServer.acceptedRequests().get(0);
            assertThat(received.header("authorization")).startsWith("bearer ");
            assertThat(received.header("apns-topic")).isEqualTo("com.example.configured");
        }
    }

    @Nested
    @SpringBootTest(
            classes = TestApplication.class,
            properties = {
                "aapns.environment=production",
                "aapns.token.key-path=file:/secrets/AuthKey_ABC123DEFG.p8",
                "aapns.token.key-id=ABC123DEFG",
                "aapns.token.team-id=DEF123GHIJ",
                "aapns.shutdown-timeout=5s"
            })
    @AutoConfigureMockApns(topic = "com.example.override")
    class OverAConfigurationForApple {

        @Autowired
        ApnsClient client;

        @Autowired
        MockApnsServer mockApnsServer;

        @Test
        void theMockAndItsCertificateReplaceTheConfiguredServerAndKey() throws Exception {
            assertThat(client.server().origin()).isEqualTo(mockApnsServer.uri());
            assertThat(client.signingKey()).isEmpty();
            mockApnsServer.reset();
            assertThat(send(client, "x").accepted()).isTrue();
            assertThat(mockApnsServer.acceptedRequests().get(0).header("apns-topic"))
                    .isEqualTo("com.example.override");
        }
    }
}
