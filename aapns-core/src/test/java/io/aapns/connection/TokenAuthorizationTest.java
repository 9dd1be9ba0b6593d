package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.PushResult;
import io.aapns.api.SendOptions;
import io.aapns.auth.SigningKey;
import io.aapns.internal.JwtSigner;
import io.aapns.internal.ProviderTokenHolder;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MutableClock;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Notification;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenAuthorizationTest {

    private static final String TOPIC = "com.example.app";
    private static final String DEVICE = "0123456789abcdef".repeat(4);
    private static final String TEAM = "TEAM123456";
    private static final String KEY_ID = "KEY1234567";

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void anExpiredTokenIsReplacedOnceNotOncePerStaleAnswer() throws Exception {
        SigningKey key = SigningKey.of(ecKey().getPrivate(), KEY_ID, TEAM);
        TokenAuthorization authorization = new TokenAuthorization(ProviderTokenHolder.create(JwtSigner.of(key)));

        CharSequence first = authorization.headerValue();
        assertThat(authorization.headerValue()).isEqualTo(first);

        authorization.expired(first);
        CharSequence second = authorization.headerValue();
        assertThat(second).isNotEqualTo(first);

        // answers to other requests that carried the first token arrive after it was replaced
        authorization.expired(first);
        authorization.expired(first);
        assertThat(authorization.headerValue()).isEqualTo(second);
    }

    @Test
    void tellsWhetherARequestCarriedTheCurrentToken() throws Exception {
        SigningKey key = SigningKey.of(ecKey().getPrivate(), KEY_ID, TEAM);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
        TokenAuthorization authorization =
                new TokenAuthorization(ProviderTokenHolder.create(JwtSigner.of(key), Duration.ofMinutes(50), clock));
        assertThat(authorization.isCurrent("bearer none yet")).isFalse();

        CharSequence first = authorization.headerValue();
        assertThat(authorization.isCurrent(first)).isTrue();

        // 403 ExpiredProviderToken: the request that carried it may be re-sent, it gets a new one
        authorization.expired(first);
        assertThat(authorization.isCurrent(first)).isFalse();
        CharSequence second = authorization.headerValue();
        assertThat(authorization.isCurrent(second)).isTrue();
        // a 429 TooManyProviderTokenUpdates to a request that carried the token in use: re-sending
        // it now would carry the same rejected token
        assertThat(authorization.isCurrent(second)).isTrue();

        // the new token was dated a second after the first (same second): it is due at 50:01
        clock.advance(Duration.ofMinutes(50).plusSeconds(1));
        CharSequence third = authorization.headerValue();
        assertThat(third).isNotEqualTo(second);
        assertThat(authorization.isCurrent(second)).isFalse();
        assertThat(authorization.isCurrent(third)).isTrue();
    }

    @Test
    void anAuthorizationThatDoesNotSayCountsNoValueAsCurrent() {
        io.aapns.connection.Authorization fixed = new io.aapns.connection.Authorization() {
            @Override
            public CharSequence headerValue() {
                return "bearer fixed";
            }

            @Override
            public void expired(CharSequence headerValue) {}
        };

        assertThat(fixed.isCurrent("bearer fixed")).isFalse();
    }

    @Test
    void aTwentyMinuteLifetimeIsNotRefusedAsTooManyProviderTokenUpdates() throws Exception {
        // the first request goes out at x.999 s: its token's iat says x
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00.999Z"));
        MockApnsServer server = MockApnsServer.builder().clock(clock).start();
        closeables.add(server);
        KeyPair key = ecKey();
        server.registerSigningKey(TEAM, KEY_ID, key.getPublic());
        ApnsClient client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), KEY_ID, TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(1)
                .clock(clock)
                .tokenLifetime(Duration.ofMinutes(20))
                .build();
        closeables.add(0, client);

        assertThat(send(client, "1").accepted()).isTrue();
        // 20 minutes after the iat, 19:59.5 after APNs first saw the token
        clock.advance(Duration.ofMinutes(20).minusMillis(500));
        assertThat(send(client, "2").accepted()).isTrue();
        clock.advance(Duration.ofMinutes(20));
        assertThat(send(client, "3").accepted()).isTrue();

        List<RecordedRequest> requests = server.requests();
        assertThat(requests).extracting(RecordedRequest::reason).containsOnlyNulls();
        List<String> tokens =
                requests.stream().map(r -> r.header("authorization")).toList();
        assertThat(tokens).hasSize(3);
        assertThat(tokens.get(1)).isEqualTo(tokens.get(0));
        assertThat(tokens.get(2)).isNotEqualTo(tokens.get(1));
    }

    private static PushResult send(ApnsClient client, String alert) throws Exception {
        return client.send(DEVICE, Notification.builder().alert(alert).build(), SendOptions.defaults())
                .get(30, TimeUnit.SECONDS);
    }
}
