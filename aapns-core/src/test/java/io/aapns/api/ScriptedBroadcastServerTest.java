package io.aapns.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.aapns.auth.SigningKey;
import io.aapns.auth.TestKeys;
import io.aapns.errors.Reason;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.model.Priority;
import io.aapns.pool.RetryPolicy;
import io.aapns.testing.BroadcastRejections;
import io.aapns.testing.BroadcastRejections.Fate;
import io.aapns.testing.BroadcastRejections.Rejection;
import io.aapns.testing.TestPki;
import io.aapns.testing.WireMockH2;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ApnsClient.broadcast} against a server that is not this project's mock: WireMock over HTTP/2 and TLS,
 * answering as Apple's "Sending broadcast push notification requests to APNs" shows, and with every error answer of
 * "Handling error responses from APNs". The request is checked on the wire against Apple's header table.
 */
class ScriptedBroadcastServerTest {
    static final String APP = "com.example.app";
    static final String PATH = "/4/broadcasts/apps/" + APP;
    static final String CHANNEL_ID = "dHN0LXNyY2gtY2hubA==";
    static final String UNIQUE_ID = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    static Path dir;

    static WireMockServer server;
    static ApnsClient client;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.get();
        server = WireMockH2.start(dir);
        client = ApnsClient.builder()
                .server(ApnsServer.of(WireMockH2.origin(server)))
                .signingKey(SigningKey.of(TestKeys.ec("secp256r1").getPrivate(), TestKeys.KEY_ID, TestKeys.TEAM_ID))
                .trustedCertificates(pki.caCertificates())
                .topic(APP)
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(100))
                        .build())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    static PushResult broadcast(BroadcastOptions options) throws Exception {
        return client.broadcast(CHANNEL_ID, BroadcastTest.update("2-1"), options)
                .get(30, TimeUnit.SECONDS);
    }

    /** Apple's success answer: 200, an empty body, apns-request-id (the caller's) and apns-unique-id. */
    static ResponseDefinitionBuilder accepted(String requestId) {
        return aResponse()
                .withStatus(200)
                .withHeader("apns-request-id", requestId)
                .withHeader("apns-unique-id", UNIQUE_ID);
    }

    @Test
    void sendsApplesHeadersAndReadsApplesAnswer() throws Exception {
        UUID requestId = UUID.randomUUID();
        Instant expiration = Instant.now().plus(Duration.ofHours(1));
        server.stubFor(post(urlEqualTo(PATH)).willReturn(accepted(requestId.toString())));

        PushResult result = broadcast(BroadcastOptions.builder()
                .expiration(expiration)
                .priority(Priority.CONSIDER_POWER)
                .apnsRequestId(requestId)
                .storagePolicy(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED)
                .build());

        assertThat(result.accepted()).isTrue();
        assertThat(result.isBroadcast()).isTrue();
        assertThat(result.apnsRequestId()).hasValue(requestId.toString());
        assertThat(result.apnsUniqueId()).hasValue(UNIQUE_ID);
        server.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("apns-channel-id", equalTo(CHANNEL_ID))
                        .withHeader("apns-push-type", equalTo("liveactivity"))
                        .withHeader("apns-expiration", equalTo(Long.toString(expiration.getEpochSecond())))
                        .withHeader("apns-priority", equalTo("5"))
                        .withHeader("apns-request-id", equalTo(requestId.toString()))
                        .withHeader("authorization", matching("bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+"))
                        .withHeader("apns-topic", absent())
                        .withHeader("apns-id", absent())
                        .withHeader("apns-collapse-id", absent())
                        .withRequestBody(equalToJson("{\"aps\":{\"timestamp\":" + BroadcastTest.NOW.getEpochSecond()
                                + ",\"event\":\"update\",\"content-state\":{\"score\":\"2-1\"}}}")));
    }

    @Test
    void theDefaultsAreExpirationZeroPriorityTenAndAFreshRequestId() throws Exception {
        server.stubFor(
                post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withHeader("apns-unique-id", UNIQUE_ID)));

        PushResult result = broadcast(BroadcastOptions.defaults());

        assertThat(result.accepted()).isTrue();
        server.verify(
                1,
                postRequestedFor(urlEqualTo(PATH))
                        .withHeader("apns-expiration", equalTo("0"))
                        .withHeader("apns-priority", equalTo("10"))
                        .withHeader("apns-request-id", matching(UUID_PATTERN)));
        // an answer without apns-request-id keeps the one the request carried
        String sent = server.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("apns-request-id");
        assertThat(result.apnsRequestId()).hasValue(sent);
    }

    static Stream<Rejection> rejections() {
        return BroadcastRejections.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void everyErrorAnswer(Rejection rejection) throws Exception {
        UUID requestId = UUID.randomUUID();
        ResponseDefinitionBuilder error = aResponse()
                .withStatus(rejection.status())
                .withHeader("content-type", "application/json")
                .withHeader("apns-request-id", requestId.toString())
                .withBody("{\"reason\": \"" + rejection.reasonText() + "\"}");
        server.stubFor(post(urlEqualTo(PATH))
                .inScenario("answers")
                .whenScenarioStateIs(STARTED)
                .willReturn(error)
                .willSetStateTo("second"));
        server.stubFor(post(urlEqualTo(PATH))
                .inScenario("answers")
                .whenScenarioStateIs("second")
                .willReturn(rejection.fate() == Fate.RESENT_AFTER_BACKOFF ? accepted(requestId.toString()) : error));

        PushResult result =
                broadcast(BroadcastOptions.builder().apnsRequestId(requestId).build());

        List<String> sentIds = server.findAll(anyRequestedFor(anyUrl())).stream()
                .map(r -> r.getHeader("apns-request-id"))
                .toList();
        assertThat(sentIds).as("a re-send is the same request").allMatch(requestId.toString()::equals);
        switch (rejection.fate()) {
            case RETURNED, RESENT_ONCE_WITH_A_NEW_TOKEN -> {
                assertThat(result.accepted()).isFalse();
                assertThat(result.status()).isEqualTo(rejection.status());
                assertThat(result.reason()).hasValue(rejection.reason());
                assertThat(rejection.reason()).isNotEqualTo(Reason.UNKNOWN);
                assertThat(result.reasonText()).hasValue(rejection.reasonText());
                assertThat(result.apnsRequestId()).hasValue(requestId.toString());
                assertThat(sentIds).hasSize(rejection.fate() == Fate.RETURNED ? 1 : 2);
            }
            case RESENT_AFTER_BACKOFF -> {
                assertThat(result.accepted()).isTrue();
                assertThat(result.apnsUniqueId()).hasValue(UNIQUE_ID);
                assertThat(sentIds).hasSize(2);
            }
        }
    }
}
