package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.pool.Pool;
import io.aapns.pool.PoolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Credentials and CA files written to a test's temporary folder, property strings for them, and the pool options of a
 * built client.
 */
final class TestFiles {

    static final String TOPIC = "com.example.app";
    static final String DEVICE = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String KEY_ID = "ABC123DEFG";
    static final String TEAM_ID = "TEAM123456";
    static final String PASSWORD = "secret";

    private TestFiles() {}

    static String url(MockApnsServer apns) {
        return "aapns.url=" + apns.uri();
    }

    static String trust(MockApnsServer apns) {
        return "aapns.trust-certificates=file:" + apns.caCertificateFile();
    }

    static Path pkcs12(MockApnsServer apns, Path dir) {
        return apns.issueClientCertificate(TOPIC).writePkcs12(dir.resolve("client.p12"), PASSWORD.toCharArray());
    }

    static Path[] pem(MockClientCertificate certificate, Path dir) {
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client-key.pem");
        certificate.writePem(cert, key);
        return new Path[] {cert, key};
    }

    /** An EC P-256 .p8 registered with the mock. */
    static Path p8(MockApnsServer apns, Path dir) {
        KeyPair pair = keyPair("EC");
        apns.registerSigningKey(TEAM_ID, KEY_ID, pair.getPublic());
        return write(dir.resolve("AuthKey_" + KEY_ID + ".p8"), pem(pair.getPrivate()));
    }

    static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String pem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /**
     * The options the client's pool was built with. ApnsClient does not expose its pool, so this reads its one field of
     * type Pool (by type, not name); it fails loudly if there is none.
     */
    static PoolOptions poolOptions(ApnsClient client) {
        for (Field field : ApnsClient.class.getDeclaredFields()) {
            if (field.getType() == Pool.class) {
                try {
                    field.setAccessible(true);
                    return ((Pool) field.get(client)).options();
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("ApnsClient has no field of type Pool: update TestFiles.poolOptions");
    }

    /** A client of the test's own (not auto-configured) with a certificate the mock trusts; the caller closes it. */
    static ApnsClient ownClient(MockApnsServer apns, Path dir) {
        return ApnsClient.builder()
                .server(io.aapns.api.ApnsServer.of(apns.uri()))
                .trustedCertificates(java.util.List.of(apns.caCertificate()))
                .clientCertificate(
                        io.aapns.auth.ClientCertificate.fromPkcs12(pkcs12(apns, dir), PASSWORD.toCharArray()))
                .topic(TOPIC)
                .build();
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
