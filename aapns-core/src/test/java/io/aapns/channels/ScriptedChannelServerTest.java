package io.aapns.channels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.request;
import static com.github.tomakehurst.wiremock.client.WireMock.requestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.auth.TestKeys;
import io.aapns.errors.Reason;
import io.aapns.model.MessageStoragePolicy;
import io.aapns.pool.RetryPolicy;
import io.aapns.testing.BroadcastRejections.Fate;
import io.aapns.testing.BroadcastRejections.Rejection;
import io.aapns.testing.TestPki;
import io.aapns.testing.WireMockH2;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ApnsChannels} against a server that is not this project's mock: WireMock over HTTP/2 and TLS, answering each
 * operation the way Apple's "Sending channel management requests to APNs" shows, and with every error answer of
 * "Handling error responses from APNs". What the client sends is checked on the wire as that page describes it.
 */
class ScriptedChannelServerTest {
    static final String APP = "com.example.app";
    static final String CHANNELS = "/1/apps/" + APP + "/channels";
    static final String ALL_CHANNELS = "/1/apps/" + APP + "/all-channels";
    static final String CHANNEL_ID = "dHN0LXNyY2gtY2hubA=="; // Apple's example
    static final String SERVER_REQUEST_ID = "0a9c7b32-58d1-4c6e-9f1a-2f3e4d5c6b7a";
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TempDir
    static Path dir;

    static WireMockServer server;
    static ApnsChannels withToken;
    static ApnsChannels withCertificate;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.get();
        server = WireMockH2.start(dir);
        ApnsChannelServer origin = ApnsChannelServer.of(WireMockH2.origin(server));
        RetryPolicy quick = RetryPolicy.builder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(100))
                .build();
        withToken = ApnsChannels.builder()
                .server(origin)
                .signingKey(SigningKey.of(TestKeys.ec("secp256r1").getPrivate(), TestKeys.KEY_ID, TestKeys.TEAM_ID))
                .trustedCertificates(pki.caCertificates())
                .bundleId(APP)
                .retryPolicy(quick)
                .build();
        withCertificate = ApnsChannels.builder()
                .server(origin)
                .clientCertificate(
                        ClientCertificate.of(pki.client.getKeyPair().getPrivate(), pki.client.getCertificate()))
                .trustedCertificates(pki.caCertificates())
                .bundleId(APP)
                .retryPolicy(quick)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (ApnsChannels c : Arrays.asList(withToken, withCertificate)) {
            if (c != null) {
                c.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            }
        }
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    // ------------------------------------------------------------------ Apple's answers, per operation

    static String method(ChannelOperation operation) {
        return switch (operation) {
            case CREATE -> "POST";
            case READ, LIST -> "GET";
            case DELETE -> "DELETE";
        };
    }

    static String path(ChannelOperation operation) {
        return operation == ChannelOperation.LIST ? ALL_CHANNELS : CHANNELS;
    }

    /** The success answer of Apple's page for each operation. */
    static ResponseDefinitionBuilder success(ChannelOperation operation) {
        ResponseDefinitionBuilder r = aResponse().withHeader("apns-request-id", SERVER_REQUEST_ID);
        return switch (operation) {
            case CREATE -> r.withStatus(201).withHeader("apns-channel-id", CHANNEL_ID);
            case READ ->
                r.withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"message-storage-policy\": 1, \"push-type\": \"LiveActivity\"}");
            case LIST ->
                r.withStatus(200)
                        .withHeader("content-type", "application/json")
                        .withBody("{\"channels\": [\"" + CHANNEL_ID + "\", \"b3RoZXI=\"]}");
            case DELETE -> r.withStatus(204);
        };
    }

    static ResponseDefinitionBuilder error(Rejection rejection) {
        return aResponse()
                .withStatus(rejection.status())
                .withHeader("content-type", "application/json")
                .withHeader("apns-request-id", SERVER_REQUEST_ID)
                .withBody("{\"reason\": \"" + rejection.reasonText() + "\"}");
    }

    static CompletableFuture<?> call(ApnsChannels channels, ChannelOperation operation) {
        return switch (operation) {
            case CREATE -> channels.create(MessageStoragePolicy.NO_MESSAGE_STORED);
            case READ -> channels.get(CHANNEL_ID);
            case LIST -> channels.list();
            case DELETE -> channels.delete(CHANNEL_ID);
        };
    }

    static int requestsReceived() {
        return server.findAll(anyRequestedFor(anyUrl())).size();
    }

    // ------------------------------------------------------------------ each operation as Apple shows it

    @Test
    void createPostsThePolicyAndLiveActivityAndReadsTheChannelIdHeader() throws Exception {
        server.stubFor(request("POST", urlEqualTo(CHANNELS)).willReturn(success(ChannelOperation.CREATE)));

        assertThat(ApnsChannelsTest.await(withToken.create(MessageStoragePolicy.NO_MESSAGE_STORED)))
                .isEqualTo(CHANNEL_ID);
        assertThat(ApnsChannelsTest.await(withToken.create(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED)))
                .isEqualTo(CHANNEL_ID);

        for (int policy = 0; policy <= 1; policy++) {
            server.verify(
                    1,
                    requestedFor("POST", urlEqualTo(CHANNELS))
                            .withHeader("apns-request-id", matching(UUID_PATTERN))
                            .withHeader("content-type", equalTo("application/json"))
                            .withHeader("authorization", matching("bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+"))
                            .withHeader("apns-channel-id", absent())
                            .withRequestBody(equalToJson(
                                    "{\"message-storage-policy\": " + policy + ", \"push-type\": \"LiveActivity\"}")));
        }
    }

    @Test
    void readGetsTheChannelNamedInTheChannelIdHeader() throws Exception {
        server.stubFor(request("GET", urlEqualTo(CHANNELS)).willReturn(success(ChannelOperation.READ)));

        Channel channel = ApnsChannelsTest.await(withToken.get(CHANNEL_ID));

        assertThat(channel.id()).isEqualTo(CHANNEL_ID);
        assertThat(channel.storagePolicy()).isEqualTo(MessageStoragePolicy.MOST_RECENT_MESSAGE_STORED);
        assertThat(channel.pushType()).isEqualTo("LiveActivity");
        server.verify(
                1,
                requestedFor("GET", urlEqualTo(CHANNELS))
                        .withHeader("apns-channel-id", equalTo(CHANNEL_ID))
                        .withHeader("apns-request-id", matching(UUID_PATTERN)));
        assertThat(server.findAll(anyRequestedFor(anyUrl())).get(0).getBody()).isEmpty();
    }

    @Test
    void listGetsAllChannels() throws Exception {
        server.stubFor(request("GET", urlEqualTo(ALL_CHANNELS)).willReturn(success(ChannelOperation.LIST)));

        assertThat(ApnsChannelsTest.await(withToken.list())).containsExactly(CHANNEL_ID, "b3RoZXI=");
        server.verify(
                1,
                requestedFor("GET", urlEqualTo(ALL_CHANNELS))
                        .withHeader("apns-channel-id", absent())
                        .withHeader("apns-request-id", matching(UUID_PATTERN)));
    }

    @Test
    void deleteNamesTheChannelInTheChannelIdHeader() throws Exception {
        server.stubFor(request("DELETE", urlEqualTo(CHANNELS)).willReturn(success(ChannelOperation.DELETE)));

        assertThat(ApnsChannelsTest.await(withToken.delete(CHANNEL_ID))).isNull();
        server.verify(
                1,
                requestedFor("DELETE", urlEqualTo(CHANNELS))
                        .withHeader("apns-channel-id", equalTo(CHANNEL_ID))
                        .withHeader("apns-request-id", matching(UUID_PATTERN)));
    }

    @Test
    void withACertificateNoAuthorizationHeaderIsSent() throws Exception {
        server.stubFor(request("GET", urlEqualTo(ALL_CHANNELS)).willReturn(success(ChannelOperation.LIST)));

        assertThat(ApnsChannelsTest.await(withCertificate.list())).hasSize(2);
        server.verify(1, requestedFor("GET", urlEqualTo(ALL_CHANNELS)).withHeader("authorization", absent()));
    }

    /** The shapes third-party clients report or Apple's page also states: 200 on create, a bare or empty list. */
    @Test
    void theOtherAnswerShapesApplesPageAndOthersReportAreReadToo() throws Exception {
        server.stubFor(request("POST", urlEqualTo(CHANNELS))
                .willReturn(aResponse().withStatus(200).withHeader("apns-channel-id", CHANNEL_ID)));
        server.stubFor(request("GET", urlEqualTo(ALL_CHANNELS))
                .inScenario("list")
                .whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(200).withBody("[\"" + CHANNEL_ID + "\"]"))
                .willSetStateTo("empty"));
        server.stubFor(request("GET", urlEqualTo(ALL_CHANNELS))
                .inScenario("list")
                .whenScenarioStateIs("empty")
                .willReturn(aResponse().withStatus(200)));

        assertThat(ApnsChannelsTest.await(withToken.create(MessageStoragePolicy.NO_MESSAGE_STORED)))
                .isEqualTo(CHANNEL_ID);
        assertThat(ApnsChannelsTest.await(withToken.list())).containsExactly(CHANNEL_ID);
        assertThat(ApnsChannelsTest.await(withToken.list())).isEmpty();
    }

    // ------------------------------------------------------------------ every error answer, every operation

    static Stream<Arguments> operationsAndRejections() {
        return ApnsChannelsTest.operationsAndRejections();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("operationsAndRejections")
    void everyErrorAnswerOfEveryOperation(ChannelOperation operation, Rejection rejection) throws Exception {
        String method = method(operation);
        String path = path(operation);
        server.stubFor(request(method, urlEqualTo(path))
                .inScenario("answers")
                .whenScenarioStateIs(STARTED)
                .willReturn(error(rejection))
                .willSetStateTo("second"));
        server.stubFor(request(method, urlEqualTo(path))
                .inScenario("answers")
                .whenScenarioStateIs("second")
                .willReturn(rejection.fate() == Fate.RESENT_AFTER_BACKOFF ? success(operation) : error(rejection)));

        CompletableFuture<?> result = call(withToken, operation);

        switch (rejection.fate()) {
            case RETURNED, RESENT_ONCE_WITH_A_NEW_TOKEN -> {
                Throwable t = ApnsChannelsTest.failure(result);
                assertThat(t).isInstanceOf(ChannelRejectedException.class);
                ChannelRejectedException e = (ChannelRejectedException) t;
                assertThat(e.operation()).isEqualTo(operation);
                assertThat(e.status()).isEqualTo(rejection.status());
                assertThat(e.reason()).isEqualTo(rejection.reason()).isNotEqualTo(Reason.UNKNOWN);
                assertThat(e.reasonText()).isEqualTo(rejection.reasonText());
                assertThat(e.apnsRequestId()).isEqualTo(SERVER_REQUEST_ID);
                assertThat(requestsReceived())
                        .as("requests received")
                        .isEqualTo(rejection.fate() == Fate.RETURNED ? 1 : 2);
            }
            case RESENT_AFTER_BACKOFF -> {
                Object value = ApnsChannelsTest.await(result); // completes normally after the re-send
                if (operation != ChannelOperation.DELETE) {
                    assertThat(value).isNotNull();
                }
                assertThat(requestsReceived()).as("requests received").isEqualTo(2);
            }
        }
        List<String> requestIds = server.findAll(anyRequestedFor(anyUrl())).stream()
                .map(r -> r.getHeader("apns-request-id"))
                .toList();
        assertThat(requestIds).allMatch(id -> id.matches(UUID_PATTERN));
        assertThat(requestIds.stream().distinct())
                .as("a re-send is the same request")
                .hasSize(1);
    }
}
