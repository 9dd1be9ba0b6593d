package io.aapns.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.errors.Reason;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import io.aapns.spring.boot.autoconfigure.ApnsClients;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
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

    @Nested
    @SpringBootTest(
            classes = TestApplication.class,
            properties = {
                "aapns.topic=com.example.app",
                "aapns.clients.app.primary=true",
                "aapns.clients.app.token.key-path=file:/secrets/AuthKey_ABC123DEFG.p8",
                "aapns.clients.app.token.key-id=ABC123DEFG",
                "aapns.clients.app.token.team-id=DEF123GHIJ",
                "aapns.clients.watch.topic=com.example.app.watchkitapp",
                "aapns.clients.watch.certificate.path=file:/secrets/watch.p12",
                "aapns.clients.watch.url=https://api.push.apple.com",
                "aapns.clients.voip.topic=com.example.app.voip",
                "aapns.clients.voip.token.key-id=XYZ123DEFG"
            })
    @AutoConfigureMockApns
    class WithNamedClients {

        @Autowired
        ApnsClients clients;

        @Autowired
        ApnsClient primary;

        @Autowired
        @Qualifier("watchApnsClient")
        ApnsClient watch;

        @Autowired
        MockApnsServer mockApnsServer;

        @Test
        void everyNamedClientSendsToTheOneMockWithTheKindOfCredentialsItsConfigurationNames() throws Exception {
            assertThat(clients.names()).containsExactlyInAnyOrder("app", "watch", "voip");
            assertThat(primary).isSameAs(clients.get("app"));
            assertThat(watch).isSameAs(clients.get("watch"));
            assertThat(clients.get("app").signingKey()).isPresent();
            assertThat(clients.get("watch").clientCertificate())
                    .hasValueSatisfying(c -> assertThat(c.subject()).contains("com.example.app.watchkitapp"));
            assertThat(clients.get("voip").signingKey()).isPresent(); // a second token client: one key, shared
            mockApnsServer.reset();
            for (String name : List.of("app", "watch", "voip")) {
                ApnsClient client = clients.get(name);
                assertThat(client.server().origin()).isEqualTo(mockApnsServer.uri());
                assertThat(send(client, name).accepted()).as(name).isTrue();
            }
            assertThat(mockApnsServer.acceptedRequests())
                    .extracting(r -> r.header("apns-topic"))
                    .containsExactly("com.example.app", "com.example.app.watchkitapp", "com.example.app.voip");
            assertThat(mockApnsServer.acceptedRequests())
                    .extracting(r -> String.valueOf(r.header("authorization")).startsWith("bearer "))
                    .containsExactly(true, false, true);
        }
    }
}
