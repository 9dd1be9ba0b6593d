package io.aapns.auth;

import io.aapns.auth.CredentialException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An APNs token signing key: the EC P-256 private key of the {@code AuthKey_<key id>.p8} file downloaded from Apple
 * Developer, its 10-character key id, and the 10-character team id it belongs to. Used by the JWT signer of token
 * authentication to mint provider tokens.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.fromP8(Path.of("AuthKey_ABC123DEFG.p8"), "ABC123DEFG", "DEF123GHIJ");
 * }</pre>
 *
 * <p>Its {@code toString()} shows the ids, never the key.
 */
public final class SigningKey {

    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final BigInteger P256_ORDER = p256().getOrder();

    private final ECPrivateKey privateKey;
    private final String keyId;
    private final String teamId;

    private SigningKey(ECPrivateKey privateKey, String keyId, String teamId) {
        this.privateKey = privateKey;
        this.keyId = keyId;
        this.teamId = teamId;
    }

    /**
     * Reads a .p8 key file.
     *
     * @param path the {@code AuthKey_<keyId>.p8} file
     * @param keyId the key's 10-character id (Apple Developer, Keys)
     * @param teamId the 10-character team id (Apple Developer, Membership)
     * @throws CredentialException if the file does not exist or cannot be read, is not a PEM PKCS#8 EC P-256 private
     *     key, or an id is not 10 letters and digits ({@link CredentialException#kind()} says which)
     */
    public static SigningKey fromP8(Path path, String keyId, String teamId) {
        Objects.requireNonNull(path, "path");
        String text;
        try {
            // ISO-8859-1 decodes any bytes: a binary file fails as "not PEM", not as a charset error.
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new CredentialException(Kind.FILE_NOT_FOUND, "the .p8 key file " + path + " does not exist", e);
        } catch (IOException e) {
            throw new CredentialException(
                    Kind.UNREADABLE, "cannot read the .p8 key file " + path + ": " + e.getMessage(), e);
        }
        return parse(text, keyId, teamId, "the file " + path);
    }

    /**
     * Reads a .p8 key from its PEM text ({@code -----BEGIN PRIVATE KEY-----...}), for example from an environment
     * variable or a secret store.
     *
     * @throws CredentialException if the text is not a PEM PKCS#8 EC P-256 private key, or an id is not 10 letters and
     *     digits
     */
    public static SigningKey fromP8(String pemText, String keyId, String teamId) {
        Objects.requireNonNull(pemText, "pemText");
        return parse(pemText, keyId, teamId, "the key text");
    }

    /**
     * Reads a .p8 key from a stream (read to its end, not closed), for example a classpath resource.
     *
     * @throws CredentialException if the stream cannot be read, its content is not a PEM PKCS#8 EC P-256 private key,
     *     or an id is not 10 letters and digits
     */
    public static SigningKey fromP8(InputStream in, String keyId, String teamId) {
        Objects.requireNonNull(in, "in");
        String text;
        try {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CredentialException(Kind.UNREADABLE, "cannot read the .p8 key stream: " + e.getMessage(), e);
        }
        return parse(text, keyId, teamId, "the key stream");
    }

    /**
     * Wraps a private key obtained some other way (a key store, an HSM provider).
     *
     * @throws CredentialException if it is not an EC P-256 key, or an id is not 10 letters and digits
     */
    public static SigningKey of(PrivateKey privateKey, String keyId, String teamId) {
        Objects.requireNonNull(privateKey, "privateKey");
        checkId("key id", keyId, "Apple Developer > Certificates, Identifiers & Profiles > Keys");
        checkId("team id", teamId, "Apple Developer > Membership");
        return new SigningKey(checkP256(privateKey, "the key"), keyId, teamId);
    }

    private static SigningKey parse(String text, String keyId, String teamId, String source) {
        checkId("key id", keyId, "Apple Developer > Certificates, Identifiers & Profiles > Keys");
        checkId("team id", teamId, "Apple Developer > Membership");
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw new CredentialException(
                    Kind.MALFORMED,
                    source + " is not PEM: expected a .p8 key that starts"
                            + " with -----BEGIN PRIVATE KEY-----, as downloaded from Apple Developer");
        }
        String label = m.group(1);
        switch (label) {
            case "PRIVATE KEY":
                break;
            case "ENCRYPTED PRIVATE KEY":
                throw new CredentialException(
                        Kind.UNSUPPORTED_FORMAT,
                        source + " holds an encrypted key; Apple's .p8 keys"
                                + " are not encrypted: decrypt it with `openssl pkcs8 -in key.p8 -out plain.p8`");
            case "EC PRIVATE KEY":
                throw new CredentialException(
                        Kind.UNSUPPORTED_FORMAT,
                        source + " holds an EC key in SEC1 form (BEGIN EC"
                                + " PRIVATE KEY); convert it to PKCS#8 with"
                                + " `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8`");
            case "RSA PRIVATE KEY":
                throw new CredentialException(
                        Kind.WRONG_KEY_TYPE,
                        source + " holds an RSA key, not an EC key: APNs"
                                + " token auth needs the EC P-256 .p8 key from Apple Developer > Keys");
            default:
                throw new CredentialException(
                        Kind.NO_PRIVATE_KEY,
                        source + " holds a PEM " + label + ", not a private"
                                + " key: expected -----BEGIN PRIVATE KEY----- (Apple's .p8 file)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new CredentialException(Kind.MALFORMED, source + " is not valid PEM: its body is not base64", e);
        }
        PrivateKey key = decode(der, source);
        return new SigningKey(checkP256(key, source), keyId, teamId);
    }

    /**
     * Makes the private key of PKCS#8 DER bytes, then clears the bytes (zeros), whether or not they held a usable key:
     * the key's secret should not linger in a buffer the garbage collector may keep for a while. (The KeyFactory's spec
     * holds a copy of its own that no API can clear; it is unreachable once this returns.)
     */
    static PrivateKey decode(byte[] der, String source) {
        try {
            return generate(new PKCS8EncodedKeySpec(der), source);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static PrivateKey generate(PKCS8EncodedKeySpec spec, String source) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        } catch (InvalidKeySpecException notEc) {
            for (String algorithm : new String[] {"RSA", "EdDSA", "DSA", "XDH", "RSASSA-PSS"}) {
                try {
                    KeyFactory.getInstance(algorithm).generatePrivate(spec);
                    throw new CredentialException(
                            Kind.WRONG_KEY_TYPE,
                            source + " holds " + article(algorithm) + " key,"
                                    + " not an EC key: APNs token auth needs the EC P-256 .p8 key from Apple"
                                    + " Developer > Keys");
                } catch (GeneralSecurityException ignored) {
                    // not this algorithm either
                }
            }
            throw new CredentialException(
                    Kind.MALFORMED, source + " is not a valid PKCS#8 private key: " + notEc.getMessage(), notEc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no EC KeyFactory", e);
        }
    }

    private static String article(String algorithm) {
        return (algorithm.startsWith("R") || algorithm.startsWith("E") ? "an " : "a ") + algorithm;
    }

    private static ECPrivateKey checkP256(PrivateKey key, String source) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new CredentialException(
                    Kind.WRONG_KEY_TYPE,
                    source + " is " + article(key.getAlgorithm())
                            + " key, not an EC key: APNs token auth needs an EC P-256 key");
        }
        ECParameterSpec params = ec.getParams();
        if (params == null
                || !P256_ORDER.equals(params.getOrder())
                || params.getCurve().getField().getFieldSize() != 256) {
            throw new CredentialException(
                    Kind.WRONG_KEY_TYPE,
                    source + " is an EC key on another curve ("
                            + (params == null
                                    ? "unknown"
                                    : params.getCurve().getField().getFieldSize() + "-bit")
                            + "), not P-256 (secp256r1, prime256v1): ES256 needs P-256, as in Apple's .p8 keys");
        }
        return ec;
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not support the P-256 curve", e);
        }
    }

    private static void checkId(String what, String id, String where) {
        if (id == null || id.length() != 10 || !isAsciiLettersAndDigits(id)) {
            throw new CredentialException(
                    Kind.INVALID_ID,
                    "the " + what + " must be 10 letters and digits, as" + " shown in " + where + ", not "
                            + (id == null ? "null" : "'" + id + "'"));
        }
    }

    private static boolean isAsciiLettersAndDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** Returns the private key. */
    public ECPrivateKey privateKey() {
        return privateKey;
    }

    /** Returns the key id: the JWT header's {@code kid}. */
    public String keyId() {
        return keyId;
    }

    /** Returns the team id: the JWT claims' {@code iss}. */
    public String teamId() {
        return teamId;
    }

    /** Shows the key id and team id, never the key. */
    @Override
    public String toString() {
        return "SigningKey{keyId=" + keyId + ", teamId=" + teamId + "}";
    }
}
