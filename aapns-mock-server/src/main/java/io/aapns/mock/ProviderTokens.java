package io.aapns.mock;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Token (JWT) authentication as APNs applies it: the signing keys a server knows, and the rules that one connection's
 * tokens must follow.
 */
final class ProviderTokens {

    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration MIN_UPDATE_INTERVAL = Duration.ofMinutes(20);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    void register(String teamId, String keyId, PublicKey key) {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(keyId, "keyId");
        if (!(key instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new IllegalArgumentException("APNs signing keys are EC P-256 keys, got " + key);
        }
        keys.put(teamId + '/' + keyId, key);
    }

    boolean enabled() {
        return !keys.isEmpty();
    }

    void clear() {
        keys.clear();
    }

    /** The token state of one connection. Only touched on that connection's event loop. */
    final class ConnectionTokens {
        private String keyId;
        private String lastToken;
        private Instant lastIssuedAt;
        private Instant lastChange;

        boolean validated() {
            return lastToken != null;
        }

        /** Checks an {@code authorization} header value; null means it is accepted. */
        Verdict check(CharSequence authorization, Clock clock) {
            if (authorization == null) {
                return Verdict.error(403, "MissingProviderToken");
            }
            String value = authorization.toString();
            if (!value.regionMatches(true, 0, "bearer ", 0, 7)) {
                return Verdict.error(403, "InvalidProviderToken");
            }
            String token = value.substring(7).trim();
            Instant now = clock.instant();
            if (token.equals(lastToken)) {
                return expired(lastIssuedAt, now) ? Verdict.error(403, "ExpiredProviderToken") : null;
            }
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return Verdict.error(403, "InvalidProviderToken");
            }
            JsonNode header;
            JsonNode claims;
            byte[] signature;
            try {
                Base64.Decoder decoder = Base64.getUrlDecoder();
                header = JSON.readTree(decoder.decode(parts[0]));
                claims = JSON.readTree(decoder.decode(parts[1]));
                signature = decoder.decode(parts[2]);
            } catch (IllegalArgumentException | JacksonException e) {
                return Verdict.error(403, "InvalidProviderToken");
            }
            String alg = text(header, "alg");
            String kid = text(header, "kid");
            String iss = text(claims, "iss");
            JsonNode iat = claims == null ? null : claims.get("iat");
            if (!"ES256".equals(alg) || kid == null || iss == null || iat == null || !iat.isIntegralNumber()) {
                return Verdict.error(403, "InvalidProviderToken");
            }
            if (keyId != null && !keyId.equals(kid)) {
                return Verdict.error(403, "UnrelatedKeyIdInToken");
            }
            PublicKey key = keys.get(iss + '/' + kid);
            if (key == null || !verify(key, parts[0] + '.' + parts[1], signature)) {
                return Verdict.error(403, "InvalidProviderToken");
            }
            Instant issuedAt = Instant.ofEpochSecond(iat.longValue());
            if (expired(issuedAt, now)) {
                return Verdict.error(403, "ExpiredProviderToken");
            }
            if (lastChange != null && Duration.between(lastChange, now).compareTo(MIN_UPDATE_INTERVAL) < 0) {
                return Verdict.error(429, "TooManyProviderTokenUpdates");
            }
            keyId = kid;
            lastToken = token;
            lastIssuedAt = issuedAt;
            lastChange = now;
            return null;
        }
    }

    private static boolean expired(Instant issuedAt, Instant now) {
        return Duration.between(issuedAt, now).compareTo(MAX_AGE) > 0;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static boolean verify(PublicKey key, String signedPart, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(key);
            verifier.update(signedPart.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
