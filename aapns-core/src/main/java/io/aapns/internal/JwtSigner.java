package io.aapns.internal;

import io.aapns.auth.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Mints APNs provider tokens with a {@link SigningKey}: a JWT with header {@code {"alg":"ES256","kid":"<key id>"}},
 * claims {@code {"iss":"<team id>","iat":<epoch s>}}, and an ECDSA P-256 SHA-256 signature in JWS form (r||s, 64
 * bytes), all base64url without padding. JDK crypto only.
 *
 * <p>Thread-safe. Cheap to call: the encoded header is made once and one {@link Signature} is reused (under a lock;
 * tokens are minted once per connection every 50 minutes or so).
 */
public final class JwtSigner {

    static final String ALGORITHM = "SHA256withECDSAinP1363Format";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final SigningKey key;
    private final String encodedHeaderAndDot;
    private final String claimsPrefix;
    private final Signature signature;

    private JwtSigner(SigningKey key) {
        this.key = key;
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + key.keyId() + "\"}";
        this.encodedHeaderAndDot = base64url(header.getBytes(StandardCharsets.US_ASCII)) + ".";
        this.claimsPrefix = "{\"iss\":\"" + key.teamId() + "\",\"iat\":";
        try {
            this.signature = Signature.getInstance(ALGORITHM);
            this.signature.initSign(key.privateKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign ES256 with " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a signer for the key.
     *
     * @throws IllegalArgumentException if the JDK cannot sign with it
     */
    public static JwtSigner of(SigningKey key) {
        return new JwtSigner(Objects.requireNonNull(key, "key"));
    }

    /** Returns the key it signs with. */
    public SigningKey signingKey() {
        return key;
    }

    /**
     * Mints a token issued at the given time (truncated to whole seconds).
     *
     * @throws IllegalStateException if signing fails (a broken crypto provider)
     */
    public ProviderToken sign(Instant issuedAt) {
        long iat = issuedAt.getEpochSecond();
        String claims = claimsPrefix + iat + "}";
        String signingInput = encodedHeaderAndDot + base64url(claims.getBytes(StandardCharsets.US_ASCII));
        byte[] sig;
        synchronized (signature) {
            try {
                signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                sig = signature.sign();
            } catch (GeneralSecurityException e) {
                resetAfterFailure();
                throw new IllegalStateException("ES256 signing failed for " + key, e);
            }
        }
        return new ProviderToken(signingInput + "." + base64url(sig), key.keyId(), Instant.ofEpochSecond(iat));
    }

    /** Drops whatever a failed update left in the Signature, so the next token is clean. */
    private void resetAfterFailure() {
        try {
            signature.initSign(key.privateKey());
        } catch (GeneralSecurityException ignored) {
            // the next sign() reports the failure again
        }
    }

    private static String base64url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }
}
