package io.aapns.auth;

import static io.aapns.auth.TestKeys.KEY_ID;
import static io.aapns.auth.TestKeys.TEAM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.aapns.auth.CredentialException.Kind;
import io.aapns.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each {@link Kind} of credential error, provoked by a real bad input (files written here, keys and certificates made
 * here) for each class that reads credentials, and asserted by kind, not by message.
 */
class CredentialExceptionTest {
    private static final char[] PASSWORD = TestPki.PASSWORD;

    private final TestPki pki = TestPki.get();

    @TempDir
    Path dir;

    private record Case(String name, Kind kind, ThrowingCallable call) {}

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path store(String name, KeyStore ks) throws Exception {
        Path file = dir.resolve(name);
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }

    /** A stream that fails when read: one opened on a file and closed. */
    private InputStream closedStream() throws Exception {
        InputStream in = Files.newInputStream(write("closed.bin", "data"));
        in.close();
        return in;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    private List<Case> cases() throws Exception {
        PrivateKey clientKey = pki.client.getKeyPair().getPrivate();
        X509Certificate clientCert = pki.client.getCertificate();
        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        Path key = write("key.pem", pki.client.getPrivateKeyPEM());
        Path p12 = store("client.p12", pki.client.toKeyStore(PASSWORD));
        Path missing = dir.resolve("missing.pem");
        Path directory = Files.createDirectory(dir.resolve("a-directory"));
        Path encrypted = write(
                "encrypted.pem",
                TestKeys.pem(
                        "ENCRYPTED PRIVATE KEY",
                        TestKeys.encrypted(clientKey, "s3cret".toCharArray()).getEncoded()));
        String p8 = TestKeys.pkcs8Pem(TestKeys.ec("secp256r1").getPrivate());

        KeyStore onlyCa = KeyStore.getInstance("PKCS12");
        onlyCa.load(null, null);
        onlyCa.setCertificateEntry("ca", pki.ca.getCertificate());
        Path p12WithoutKey = store("ca-only.p12", onlyCa);
        KeyStore ownKeyPassword = KeyStore.getInstance("PKCS12");
        ownKeyPassword.load(null, null);
        ownKeyPassword.setKeyEntry(
                "client", clientKey, "another password".toCharArray(), new Certificate[] {clientCert});
        Path p12KeyPassword = store("own-key-password.p12", ownKeyPassword);
        // EncryptedPrivateKeyInfo { AlgorithmIdentifier { OID 1.3.6.1.4.1.55555.1 }, OCTET STRING }: a cipher no JDK
        // has
        byte[] unknownCipherOid = {0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, (byte) 0x83, (byte) 0xb2, 0x03, 0x01};
        Path unknownCipher = write(
                "unknown-cipher.pem",
                TestKeys.pem(
                        "ENCRYPTED PRIVATE KEY",
                        TestKeys.der(
                                0x30,
                                TestKeys.concat(
                                        TestKeys.der(0x30, unknownCipherOid),
                                        TestKeys.der(0x04, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))));

        List<Case> cases = new ArrayList<>();
        // the file does not exist
        cases.add(new Case(
                "PKCS#12 file missing", Kind.FILE_NOT_FOUND, () -> ClientCertificate.fromPkcs12(missing, PASSWORD)));
        cases.add(new Case("PEM chain missing", Kind.FILE_NOT_FOUND, () -> ClientCertificate.fromPem(missing, key)));
        cases.add(new Case("PEM key missing", Kind.FILE_NOT_FOUND, () -> ClientCertificate.fromPem(chain, missing)));
        cases.add(new Case(".p8 missing", Kind.FILE_NOT_FOUND, () -> SigningKey.fromP8(missing, KEY_ID, TEAM_ID)));
        cases.add(new Case(
                "trusted CA file missing",
                Kind.FILE_NOT_FOUND,
                () -> SslContexts.builder().trustedCertificates(missing)));
        // it exists but cannot be read
        cases.add(new Case(
                "PKCS#12 path is a directory",
                Kind.UNREADABLE,
                () -> ClientCertificate.fromPkcs12(directory, PASSWORD)));
        cases.add(new Case(
                "PEM chain path is a directory", Kind.UNREADABLE, () -> ClientCertificate.fromPem(directory, key)));
        cases.add(new Case(
                "PEM key path is a directory", Kind.UNREADABLE, () -> ClientCertificate.fromPem(chain, directory)));
        cases.add(new Case(
                ".p8 path is a directory", Kind.UNREADABLE, () -> SigningKey.fromP8(directory, KEY_ID, TEAM_ID)));
        InputStream closedChain = closedStream();
        cases.add(new Case(
                "PEM chain stream fails",
                Kind.UNREADABLE,
                () -> ClientCertificate.fromPem(closedChain, stream(pki.client.getPrivateKeyPEM()))));
        InputStream closedP8 = closedStream();
        cases.add(new Case(".p8 stream fails", Kind.UNREADABLE, () -> SigningKey.fromP8(closedP8, KEY_ID, TEAM_ID)));
        // the content is not what it should be
        cases.add(
                new Case("PEM given as PKCS#12", Kind.MALFORMED, () -> ClientCertificate.fromPkcs12(chain, PASSWORD)));
        Path text = write("text.pem", "not a certificate\n");
        cases.add(new Case("chain neither PEM nor DER", Kind.MALFORMED, () -> ClientCertificate.fromPem(text, key)));
        Path brokenCert = write("broken-cert.pem", TestKeys.pem("CERTIFICATE", new byte[] {0x30, 0x03, 1, 2, 3}));
        cases.add(
                new Case("broken certificate block", Kind.MALFORMED, () -> ClientCertificate.fromPem(brokenCert, key)));
        Path garbageKey = write("garbage-key.pem", TestKeys.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 1, 2, 3}));
        cases.add(new Case("PEM key not PKCS#8", Kind.MALFORMED, () -> ClientCertificate.fromPem(chain, garbageKey)));
        Path garbageEncrypted =
                write("garbage-encrypted.pem", TestKeys.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x01, 0}));
        cases.add(new Case(
                "encrypted key not PKCS#8",
                Kind.MALFORMED,
                () -> ClientCertificate.fromPem(chain, garbageEncrypted, PASSWORD)));
        cases.add(new Case(".p8 not PEM", Kind.MALFORMED, () -> SigningKey.fromP8("not a key", KEY_ID, TEAM_ID)));
        cases.add(new Case(
                ".p8 body not base64",
                Kind.MALFORMED,
                () -> SigningKey.fromP8(
                        "-----BEGIN PRIVATE KEY-----\nA\n-----END PRIVATE KEY-----\n", KEY_ID, TEAM_ID)));
        cases.add(new Case(
                ".p8 not PKCS#8",
                Kind.MALFORMED,
                () -> SigningKey.fromP8(
                        TestKeys.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 1, 2, 3}), KEY_ID, TEAM_ID)));
        cases.add(new Case(
                "trusted CA file neither PEM nor DER",
                Kind.MALFORMED,
                () -> SslContexts.builder().trustedCertificates(text)));
        // an encrypted key without its password
        cases.add(new Case(
                "encrypted key, no password",
                Kind.PASSWORD_REQUIRED,
                () -> ClientCertificate.fromPem(chain, encrypted)));
        cases.add(new Case(
                "encrypted key stream, no password",
                Kind.PASSWORD_REQUIRED,
                () -> ClientCertificate.fromPem(
                        stream(pki.client.getCertificatePathPEM()), Files.newInputStream(encrypted), null)));
        // the wrong password
        cases.add(new Case(
                "PKCS#12, wrong password",
                Kind.WRONG_PASSWORD,
                () -> ClientCertificate.fromPkcs12(p12, "wrong".toCharArray())));
        cases.add(new Case(
                "PKCS#12, no password", Kind.WRONG_PASSWORD, () -> ClientCertificate.fromPkcs12(p12, (char[]) null)));
        cases.add(new Case(
                "PKCS#12 key with a password of its own",
                Kind.WRONG_PASSWORD,
                () -> ClientCertificate.fromPkcs12(p12KeyPassword, PASSWORD)));
        cases.add(new Case(
                "encrypted key, wrong password",
                Kind.WRONG_PASSWORD,
                () -> ClientCertificate.fromPem(chain, encrypted, "wrong".toCharArray())));
        // no private key
        cases.add(new Case(
                "PEM key file holds certificates", Kind.NO_PRIVATE_KEY, () -> ClientCertificate.fromPem(chain, chain)));
        cases.add(new Case(
                "PKCS#12 with only a CA certificate",
                Kind.NO_PRIVATE_KEY,
                () -> ClientCertificate.fromPkcs12(p12WithoutKey, PASSWORD)));
        cases.add(new Case(
                ".p8 holds a certificate",
                Kind.NO_PRIVATE_KEY,
                () -> SigningKey.fromP8(pki.client.getCertificatePEM(), KEY_ID, TEAM_ID)));
        // no certificate
        Path empty = write("empty.pem", "");
        cases.add(new Case("PEM chain empty", Kind.NO_CERTIFICATE, () -> ClientCertificate.fromPem(empty, key)));
        cases.add(
                new Case("PEM chain holds only a key", Kind.NO_CERTIFICATE, () -> ClientCertificate.fromPem(key, key)));
        cases.add(new Case(
                "PEM chain stream empty",
                Kind.NO_CERTIFICATE,
                () -> ClientCertificate.fromPem(stream(""), stream(pki.client.getPrivateKeyPEM()))));
        cases.add(new Case("of() without a certificate", Kind.NO_CERTIFICATE, () -> ClientCertificate.of(clientKey)));
        cases.add(new Case(
                "of() with a null certificate",
                Kind.NO_CERTIFICATE,
                () -> ClientCertificate.of(clientKey, clientCert, null)));
        cases.add(new Case(
                "trusted CA file empty",
                Kind.NO_CERTIFICATE,
                () -> SslContexts.builder().trustedCertificates(empty)));
        cases.add(new Case(
                "trusted CA list empty",
                Kind.NO_CERTIFICATE,
                () -> SslContexts.builder().trustedCertificates(List.of())));
        // the key is not the certificate's
        PrivateKey serverKey = pki.server.getKeyPair().getPrivate();
        Path otherKey = write("other-key.pem", pki.server.getPrivateKeyPEM());
        cases.add(new Case(
                "of() with another EC key", Kind.KEY_MISMATCH, () -> ClientCertificate.of(serverKey, clientCert)));
        cases.add(new Case(
                "of() with an RSA key",
                Kind.KEY_MISMATCH,
                () -> ClientCertificate.of(TestKeys.rsa().getPrivate(), clientCert)));
        cases.add(
                new Case("PEM with another key", Kind.KEY_MISMATCH, () -> ClientCertificate.fromPem(chain, otherKey)));
        cases.add(new Case(
                "PEM streams with another key",
                Kind.KEY_MISMATCH,
                () -> ClientCertificate.fromPem(
                        stream(pki.client.getCertificatePathPEM()), stream(pki.server.getPrivateKeyPEM()))));
        // a form that is not read here but converts
        Path sec1 = write("sec1.pem", TestKeys.pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        Path pkcs1 = write("pkcs1.pem", TestKeys.pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
        cases.add(new Case("SEC1 EC key", Kind.UNSUPPORTED_FORMAT, () -> ClientCertificate.fromPem(chain, sec1)));
        cases.add(new Case("PKCS#1 RSA key", Kind.UNSUPPORTED_FORMAT, () -> ClientCertificate.fromPem(chain, pkcs1)));
        cases.add(new Case(
                "key encrypted with an unknown cipher",
                Kind.UNSUPPORTED_FORMAT,
                () -> ClientCertificate.fromPem(chain, unknownCipher, PASSWORD)));
        cases.add(new Case(
                ".p8 encrypted",
                Kind.UNSUPPORTED_FORMAT,
                () -> SigningKey.fromP8(Files.readString(encrypted), KEY_ID, TEAM_ID)));
        cases.add(new Case(
                ".p8 in SEC1 form",
                Kind.UNSUPPORTED_FORMAT,
                () -> SigningKey.fromP8(Files.readString(sec1), KEY_ID, TEAM_ID)));
        // a key that cannot sign APNs tokens
        PrivateKey rsa = TestKeys.rsa().getPrivate();
        cases.add(new Case(
                ".p8 holding an RSA key",
                Kind.WRONG_KEY_TYPE,
                () -> SigningKey.fromP8(TestKeys.pkcs8Pem(rsa), KEY_ID, TEAM_ID)));
        cases.add(new Case(
                ".p8 holding a P-384 key",
                Kind.WRONG_KEY_TYPE,
                () -> SigningKey.fromP8(
                        TestKeys.pkcs8Pem(TestKeys.ec("secp384r1").getPrivate()), KEY_ID, TEAM_ID)));
        cases.add(new Case(
                ".p8 labelled RSA PRIVATE KEY",
                Kind.WRONG_KEY_TYPE,
                () -> SigningKey.fromP8(Files.readString(pkcs1), KEY_ID, TEAM_ID)));
        cases.add(new Case("of() with an RSA key", Kind.WRONG_KEY_TYPE, () -> SigningKey.of(rsa, KEY_ID, TEAM_ID)));
        // the ids
        cases.add(new Case("key id too short", Kind.INVALID_ID, () -> SigningKey.fromP8(p8, "ABC", TEAM_ID)));
        cases.add(new Case("team id with a dash", Kind.INVALID_ID, () -> SigningKey.fromP8(p8, KEY_ID, "TEAM-12345")));
        cases.add(new Case(
                "of() without a key id",
                Kind.INVALID_ID,
                () -> SigningKey.of(TestKeys.ec("secp256r1").getPrivate(), null, TEAM_ID)));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> eachBadInputFailsWithItsKind() throws Exception {
        return cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name() + " -> " + c.kind(), () -> {
                    Throwable thrown = catchThrowable(c.call());
                    assertThat(thrown)
                            .as(c.name())
                            .isInstanceOf(CredentialException.class)
                            // callers that catch IllegalArgumentException keep working
                            .isInstanceOf(IllegalArgumentException.class);
                    assertThat(((CredentialException) thrown).kind())
                            .as(c.name())
                            .isEqualTo(c.kind());
                    assertThat(thrown.getMessage()).as(c.name()).isNotBlank();
                }));
    }

    @Test
    void everyKindIsProvokedByAtLeastOneInput() throws Exception {
        Set<Kind> covered = EnumSet.noneOf(Kind.class);
        cases().forEach(c -> covered.add(c.kind()));
        assertThat(covered).containsExactlyInAnyOrder(Kind.values());
    }

    @Test
    void theGoodInputsOfTheTableAreRead() throws Exception {
        // the rows above differ from these in one thing each, so each row fails for its own reason
        Path chain = write("good-chain.pem", pki.client.getCertificatePathPEM());
        Path key = write("good-key.pem", pki.client.getPrivateKeyPEM());
        Path p12 = store("good.p12", pki.client.toKeyStore(PASSWORD));
        Path encrypted = write(
                "good-encrypted.pem",
                TestKeys.pem(
                        "ENCRYPTED PRIVATE KEY",
                        TestKeys.encrypted(pki.client.getKeyPair().getPrivate(), "s3cret".toCharArray())
                                .getEncoded()));
        assertThat(ClientCertificate.fromPem(chain, key).certificate()).isEqualTo(pki.client.getCertificate());
        assertThat(ClientCertificate.fromPem(chain, encrypted, "s3cret".toCharArray())
                        .certificate())
                .isEqualTo(pki.client.getCertificate());
        assertThat(ClientCertificate.fromPkcs12(p12, PASSWORD).certificate()).isEqualTo(pki.client.getCertificate());
        assertThat(ClientCertificate.of(pki.client.getKeyPair().getPrivate(), pki.client.getCertificate())
                        .certificate())
                .isEqualTo(pki.client.getCertificate());
        assertThat(SigningKey.fromP8(TestKeys.pkcs8Pem(TestKeys.ec("secp256r1").getPrivate()), KEY_ID, TEAM_ID)
                        .keyId())
                .isEqualTo(KEY_ID);
    }
}
