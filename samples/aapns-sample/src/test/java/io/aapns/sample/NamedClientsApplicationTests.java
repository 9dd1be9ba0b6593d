package io.aapns.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.model.Notification;
import io.aapns.spring.boot.autoconfigure.ApnsClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample with two named clients, as an application with two apps configures them: "app" with a token signing key
 * (primary, so the sample's controllers get it) and "watch" with a client certificate, url and trust written once at
 * the top level. Both send over real TLS to a mock server that checks the JWT against the app's key and the certificate
 * against its CA, and both show in {@code /actuator/health} read over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class NamedClientsApplicationTests {

    private static final String DEVICE = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String KEY_ID = "ABC123DEFG";
    private static final String TEAM_ID = "TEAM123456";
    private static final String PASSWORD = "changeit";

    /** Not started while the context is processed ahead of time: that makes bean definitions only, then exits. */
    private static final boolean AOT_PROCESSING = Boolean.getBoolean("spring.aot.processing");

    static MockApnsServer MOCK;

    @DynamicPropertySource
    static void twoClients(DynamicPropertyRegistry registry) throws Exception {
        if (AOT_PROCESSING) {
            registry.add("sample.embedded-mock", () -> "false");
            registry.add("aapns.clients.app.primary", () -> "true");
            registry.add("aapns.clients.app.token.key-id", () -> KEY_ID);
            registry.add("aapns.clients.watch.certificate.path", () -> "file:watch.p12");
            return;
        }
        MOCK = MockApnsServer.builder().development(true).start();
        Path dir = Files.createTempDirectory("aapns-named-clients-");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        MOCK.registerSigningKey(TEAM_ID, KEY_ID, key.getPublic());
        Path p8 = Files.writeString(
                dir.resolve("AuthKey_" + KEY_ID + ".p8"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes())
                                .encodeToString(key.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        Path p12 = MOCK.issueClientCertificate("com.example.watch")
                .writePkcs12(dir.resolve("watch.p12"), PASSWORD.toCharArray());
        registry.add("sample.embedded-mock", () -> "false");
        registry.add("aapns.url", () -> MOCK.uri().toString());
        registry.add(
                "aapns.trust-certificates",
                () -> MOCK.caCertificateFile().toUri().toString());
        registry.add("aapns.broadcast.management-url", () -> MOCK.channelsUri().toString());
        registry.add("aapns.clients.app.primary", () -> "true");
        registry.add("aapns.clients.app.topic", () -> "com.example.app");
        registry.add("aapns.clients.app.token.key-path", () -> p8.toUri().toString());
        registry.add("aapns.clients.app.token.key-id", () -> KEY_ID);
        registry.add("aapns.clients.app.token.team-id", () -> TEAM_ID);
        registry.add("aapns.clients.watch.topic", () -> "com.example.watch");
        registry.add("aapns.clients.watch.certificate.path", () -> p12.toUri().toString());
        registry.add("aapns.clients.watch.certificate.password", () -> PASSWORD);
        registry.add("aapns.clients.watch.pool.size", () -> "1");
    }

    @AfterAll
    static void stopMock() {
        if (MOCK != null) {
            MOCK.close();
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApnsClients clients;

    @Autowired
    @Qualifier("watchApnsClient")
    ApnsClient watch;

    @Test
    void bothClientsSendWithTheirOwnCredentialsAndShowInHealth() throws Exception {
        HttpResponse<String> sent = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notifications"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"token\":\"" + DEVICE + "\",\"title\":\"Hello\",\"body\":\"from the app\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        assertThat(json.readTree(sent.body()).get("accepted").asBoolean()).isTrue();
        assertThat(watch.send(DEVICE, Notification.builder().alert("Tick").build())
                        .get(15, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
        assertThat(clients.names()).containsExactly("app", "watch");
        assertThat(clients.get("watch")).isSameAs(watch);

        assertThat(MOCK.acceptedRequests())
                .extracting(r -> r.headers().get("apns-topic").get(0))
                .containsExactlyInAnyOrder("com.example.app", "com.example.watch");
        assertThat(MOCK.acceptedRequests().stream()
                        .filter(r -> r.headers().get("apns-topic").get(0).equals("com.example.app"))
                        .findFirst()
                        .orElseThrow()
                        .headers()
                        .get("authorization"))
                .singleElement()
                .asString()
                .startsWith("bearer ");

        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonNode aapns = json.readTree(health.body()).get("components").get("aapns");
        assertThat(aapns.get("status").asString()).isEqualTo("UP");
        JsonNode app = aapns.get("components").get("app");
        JsonNode watchHealth = aapns.get("components").get("watch");
        assertThat(app.get("components")
                        .get("pool")
                        .get("details")
                        .get("authentication")
                        .asString())
                .isEqualTo("token " + KEY_ID + " (team " + TEAM_ID + ")");
        assertThat(app.get("components").has("channels"))
                .as("channels go with the primary client")
                .isTrue();
        assertThat(watchHealth.get("components").get("pool").get("status").asString())
                .isEqualTo("UP");
        assertThat(watchHealth
                        .get("components")
                        .get("certificate")
                        .get("details")
                        .get("subject")
                        .asString())
                .contains("com.example.watch");
        assertThat(watchHealth.get("components").has("connection-0")).isTrue();
    }
}
