package io.aapns.mock;

import static io.aapns.mock.ValidationTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider token rules, with a clock the test moves. Each JdkClient is one connection. */
class TokenAuthTest {

    static final String TEAM = "TEAM123456";
    static final String KEY_ID = "KEY1234567";
    static final String OTHER_KEY_ID = "KEY7654321";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private MockApnsServer server;
    private KeyPair key;
    private KeyPair otherKey;

    @BeforeEach
    void start() throws Exception {
        server = MockApnsServer.builder().clock(clock).start();
        key = TestJwt.newKey();
        otherKey = TestJwt.newKey();
        server.registerSigningKey(TEAM, KEY_ID, key.getPublic());
        server.registerSigningKey(TEAM, OTHER_KEY_ID, otherKey.getPublic());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(JdkClient client, String jwt) throws Exception {
        return client.send(client.push().header("authorization", "bearer " + jwt));
    }

    private String token(Instant issuedAt) throws Exception {
        return TestJwt.sign(key.getPrivate(), KEY_ID, TEAM, issuedAt);
    }

    @Test
    void validTokenIsAccepted() throws Exception {
        assertThat(send(new JdkClient(server), token(clock.instant())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void missingToken() throws Exception {
        JdkClient client = new JdkClient(server);
        assertError(client.send(client.push()), 403, "MissingProviderToken");
    }

    @Test
    void malformedToken() throws Exception {
        JdkClient client = new JdkClient(server);
        assertError(send(client, "not.a.jwt"), 403, "InvalidProviderToken");
        assertError(client.send(client.push().header("authorization", "basic abc")), 403, "InvalidProviderToken");
    }

    @Test
    void tokenSignedByAnotherKey() throws Exception {
        String forged = TestJwt.sign(TestJwt.newKey().getPrivate(), KEY_ID, TEAM, clock.instant());
        assertError(send(new JdkClient(server), forged), 403, "InvalidProviderToken");
    }

    @Test
    void unknownKeyOrTeam() throws Exception {
        assertError(
                send(new JdkClient(server), TestJwt.sign(key.getPrivate(), "UNKNOWN123", TEAM, clock.instant())),
                403,
                "InvalidProviderToken");
        assertError(
                send(new JdkClient(server), TestJwt.sign(key.getPrivate(), KEY_ID, "OTHERTEAM1", clock.instant())),
                403,
                "InvalidProviderToken");
    }

    @Test
    void tokenOlderThanAnHourIsExpired() throws Exception {
        assertError(
                send(new JdkClient(server), token(clock.instant().minus(Duration.ofMinutes(61)))),
                403,
                "ExpiredProviderToken");
    }

    @Test
    void acceptedTokenExpiresAsTheClockMoves() throws Exception {
        JdkClient client = new JdkClient(server);
        String jwt = token(clock.instant());
        assertThat(send(client, jwt).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(61));

        assertError(send(client, jwt), 403, "ExpiredProviderToken");
        assertThat(send(client, token(clock.instant())).statusCode()).isEqualTo(200);
    }

    @Test
    void changingTokensFasterThanEvery20MinutesIsRefused() throws Exception {
        JdkClient client = new JdkClient(server);
        assertThat(send(client, token(clock.instant())).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(19));
        assertError(send(client, token(clock.instant())), 429, "TooManyProviderTokenUpdates");

        clock.advance(Duration.ofMinutes(2));
        assertThat(send(client, token(clock.instant())).statusCode()).isEqualTo(200);
    }

    @Test
    void tokensAreCountedPerConnection() throws Exception {
        assertThat(send(new JdkClient(server), token(clock.instant())).statusCode())
                .isEqualTo(200);
        clock.advance(Duration.ofMinutes(1));

        assertThat(send(new JdkClient(server), token(clock.instant())).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aConnectionKeepsItsFirstKey() throws Exception {
        JdkClient client = new JdkClient(server);
        assertThat(send(client, token(clock.instant())).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(30));

        String otherKeysToken = TestJwt.sign(otherKey.getPrivate(), OTHER_KEY_ID, TEAM, clock.instant());
        assertError(send(client, otherKeysToken), 403, "UnrelatedKeyIdInToken");
        assertThat(send(new JdkClient(server), otherKeysToken).statusCode()).isEqualTo(200);
    }

    @Test
    void clientCertificateConnectionsNeedNoToken() throws Exception {
        MockClientCertificate certificate = server.issueClientCertificate(JdkClient.TOPIC);
        JdkClient client = new JdkClient(server, certificate);

        assertThat(client.send(client.push()).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsKeysThatAreNotP256() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.registerSigningKey(
                        TEAM, "RSAKEY1234", rsa.generateKeyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("P-256");
    }
}
