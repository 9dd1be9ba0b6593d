package io.aapns.internal;

import static io.aapns.auth.TestKeys.KEY_ID;
import static io.aapns.auth.TestKeys.TEAM_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.auth.SigningKey;
import io.aapns.auth.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JwtSignerTest {

    private final KeyPair pair = TestKeys.ec("secp256r1");
    private final JwtSigner signer =
            JwtSigner.of(SigningKey.fromP8(TestKeys.pkcs8Pem(pair.getPrivate()), KEY_ID, TEAM_ID));

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    @Test
    void headerAndClaimsAreWhatApnsExpects() {
        ProviderToken token = signer.sign(Instant.ofEpochMilli(1_700_000_000_999L));
        String[] parts = token.jwt().split("\\.");

        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"ES256\",\"kid\":\"ABC123DEFG\"}");
        assertThat(decode(parts[1])).isEqualTo("{\"iss\":\"TEAM123456\",\"iat\":1700000000}");
        assertThat(token.issuedAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(token.keyId()).isEqualTo(KEY_ID);
        assertThat(token.authorizationHeader()).isEqualTo("bearer " + token.jwt());
    }

    @Test
    void partsAreBase64UrlWithoutPadding() {
        for (int i = 0; i < 20; i++) {
            String jwt = signer.sign(Instant.ofEpochSecond(1_700_000_000L + i)).jwt();
            assertThat(jwt).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        }
    }

    @Test
    void signatureIsJwsR_S_AndVerifiesWithThePublicKey() throws Exception {
        ProviderToken token = signer.sign(Instant.ofEpochSecond(1_700_000_000L));
        String jwt = token.jwt();
        int lastDot = jwt.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1));

        assertThat(signature).hasSize(64);
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(pair.getPublic());
        verifier.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void aTokenDoesNotVerifyWithAnotherKey() throws Exception {
        String jwt = signer.sign(Instant.ofEpochSecond(1_700_000_000L)).jwt();
        int lastDot = jwt.lastIndexOf('.');
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(TestKeys.ec("secp256r1").getPublic());
        verifier.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));

        assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1))))
                .isFalse();
    }

    @Test
    void theSignatureIsReusedSafelyAcrossCalls() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        for (int i = 0; i < 5; i++) {
            String jwt = signer.sign(Instant.ofEpochSecond(1_700_000_000L + i)).jwt();
            int lastDot = jwt.lastIndexOf('.');
            verifier.initVerify(pair.getPublic());
            verifier.update(jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
            assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1))))
                    .as("token %d", i)
                    .isTrue();
        }
    }

    @Test
    void toStringDoesNotShowTheToken() {
        ProviderToken token = signer.sign(Instant.ofEpochSecond(1_700_000_000L));

        assertThat(token.toString())
                .doesNotContain(token.jwt().substring(0, 10))
                .contains(KEY_ID);
    }
}
