package io.aapns.api;

import io.aapns.auth.JwtSigner;
import io.aapns.auth.ProviderTokenHolder;
import io.aapns.auth.SigningKey;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAuthorizationTest {

    @Test
    void anExpiredTokenIsReplacedOnceNotOncePerStaleAnswer() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        SigningKey key = SigningKey.of(generator.generateKeyPair().getPrivate(), "KEY1234567", "TEAM123456");
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
}
