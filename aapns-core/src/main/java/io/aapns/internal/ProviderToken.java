package io.aapns.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed APNs provider token (a JWT, ES256) and when it was issued. Sent as {@code authorization: bearer <jwt>}; see
 * {@link #authorizationHeader()}.
 *
 * <p>A credential for up to an hour: its {@code toString()} does not show it.
 */
public final class ProviderToken {

    private final String jwt;
    private final String keyId;
    private final Instant issuedAt;
    private final String authorizationHeader;

    ProviderToken(String jwt, String keyId, Instant issuedAt) {
        this.jwt = jwt;
        this.keyId = keyId;
        this.issuedAt = issuedAt;
        this.authorizationHeader = "bearer " + jwt;
    }

    /** Returns the compact JWT: {@code <header>.<claims>.<signature>}, base64url. */
    public String jwt() {
        return jwt;
    }

    /** Returns the value of the {@code authorization} header: {@code bearer <jwt>}. */
    public String authorizationHeader() {
        return authorizationHeader;
    }

    /** Returns the key id of the key that signed it (the header's {@code kid}). */
    public String keyId() {
        return keyId;
    }

    /** Returns when it was issued (the claims' {@code iat}, whole seconds). */
    public Instant issuedAt() {
        return issuedAt;
    }

    /** Returns its age at the given time; negative if the clock went back. */
    public Duration ageAt(Instant now) {
        return Duration.between(issuedAt, now);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderToken other && jwt.equals(other.jwt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jwt);
    }

    /** Shows the key id and issue time, never the token. */
    @Override
    public String toString() {
        return "ProviderToken{kid=" + keyId + ", iat=" + issuedAt + "}";
    }
}
