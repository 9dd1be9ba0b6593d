package io.aapns.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.testing.TestPki;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCertificateTest {
    private final TestPki pki = TestPki.get();

    @TempDir
    Path dir;

    private Path pkcs12(char[] password) throws Exception {
        KeyStore ks = pki.client.toKeyStore(password);
        Path file = dir.resolve("client.p12");
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
        return file;
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void readsPkcs12FromFileAndStream() throws Exception {
        Path file = pkcs12(TestPki.PASSWORD);
        ClientCertificate fromFile = ClientCertificate.fromPkcs12(file, TestPki.PASSWORD);
        assertThat(fromFile.certificate()).isEqualTo(pki.client.getCertificate());
        assertThat(fromFile.privateKey().getEncoded())
                .isEqualTo(pki.client.getKeyPair().getPrivate().getEncoded());
        assertThat(fromFile.notAfter())
                .isEqualTo(pki.client.getCertificate().getNotAfter().toInstant());
        assertThat(fromFile.subject()).contains("com.example.app");
        ClientCertificate fromStream =
                ClientCertificate.fromPkcs12(new ByteArrayInputStream(Files.readAllBytes(file)), TestPki.PASSWORD);
        assertThat(fromStream.chain()).isEqualTo(fromFile.chain());
    }

    @Test
    void wrongPkcs12PasswordSaysSo() throws Exception {
        Path file = pkcs12(TestPki.PASSWORD);
        assertThatThrownBy(() -> ClientCertificate.fromPkcs12(file, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password");
    }

    @Test
    void readsPemChainAndPkcs8Key() throws Exception {
        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        Path key = write("key.pem", pki.client.getPrivateKeyPEM());
        ClientCertificate c = ClientCertificate.fromPem(chain, key);
        assertThat(c.certificate()).isEqualTo(pki.client.getCertificate());
        assertThat(c.privateKey().getEncoded())
                .isEqualTo(pki.client.getKeyPair().getPrivate().getEncoded());
    }

    @Test
    void readsEncryptedPkcs8Key() throws Exception {
        char[] password = "s3cret".toCharArray();
        byte[] pkcs8 = pki.client.getKeyPair().getPrivate().getEncoded();
        EncryptedPrivateKeyInfo info = encryptedKey(password);

        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        Path key = write("key.pem", pem("ENCRYPTED PRIVATE KEY", info.getEncoded()));
        ClientCertificate c = ClientCertificate.fromPem(chain, key, password);
        assertThat(c.privateKey().getEncoded()).isEqualTo(pkcs8);

        assertThatThrownBy(() -> ClientCertificate.fromPem(chain, key, "nope".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> ClientCertificate.fromPem(chain, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted");
    }

    @Test
    void traditionalOpenSslKeyFormatsAskForConversion() throws Exception {
        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        Path key = write("key.pem", pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> ClientCertificate.fromPem(chain, key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void missingPiecesAreReported() throws Exception {
        Path empty = write("empty.pem", "");
        Path key = write("key.pem", pki.client.getPrivateKeyPEM());
        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        assertThatThrownBy(() -> ClientCertificate.fromPem(empty, key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientCertificate.fromPem(chain, empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no PEM private key");
        assertThatThrownBy(() -> ClientCertificate.fromPkcs12(dir.resolve("missing.p12"), TestPki.PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.p12");
    }

    @Test
    void sslContextsOfferH2WithTls12AndNewerOnEitherProvider() throws Exception {
        ClientCertificate cert = ClientCertificate.fromPkcs12(pkcs12(TestPki.PASSWORD), TestPki.PASSWORD);
        Path ca = write("ca.pem", pki.ca.getCertificatePEM());
        for (SslProvider provider : SslContexts.openSslAvailable()
                ? new SslProvider[] {SslProvider.JDK, SslProvider.OPENSSL}
                : new SslProvider[] {SslProvider.JDK}) {
            SslContext ctx = SslContexts.builder()
                    .provider(provider)
                    .clientCertificate(cert)
                    .trustedCertificates(ca)
                    .build();
            assertThat(ctx.isClient()).isTrue();
            assertThat(ctx.applicationProtocolNegotiator().protocols()).containsExactly("h2");
            var engine = ctx.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
            try {
                // OpenSSL lists the SSLv2Hello pseudo protocol (a hello format, not a protocol).
                assertThat(engine.getEnabledProtocols())
                        .contains("TLSv1.2", "TLSv1.3")
                        .doesNotContain("SSLv3", "TLSv1", "TLSv1.1");
            } finally {
                io.netty.util.ReferenceCountUtil.release(engine);
            }
        }
        assertThat(SslContexts.forTokenAuthentication().isClient()).isTrue();
        assertThat(SslContexts.forCertificate(cert).isClient()).isTrue();
    }

    @Test
    void anEmptyListOfTrustedCertificatesIsRefusedNotReplacedByTheSystemTrustStore() {
        assertThatThrownBy(() -> SslContexts.builder().trustedCertificates(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate")
                .hasMessageContaining("system trust store");
    }

    @Test
    void aTrustedPemFileWithoutACertificateIsRefused() throws Exception {
        Path empty = write("empty-ca.pem", "");
        Path keyOnly = write("key-only-ca.pem", pki.client.getPrivateKeyPEM());
        Path text = write("text-ca.pem", "not a certificate\n");
        for (Path file : List.of(empty, keyOnly, text)) {
            assertThatThrownBy(() -> SslContexts.builder().trustedCertificates(file))
                    .as(file.getFileName().toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no certificate")
                    .hasMessageContaining(file.toString());
        }
    }
    /** An encrypted PKCS#8 key as openssl writes it (PBES2, HMAC-SHA256, AES-256). */
    private EncryptedPrivateKeyInfo encryptedKey(char[] password) {
        return TestKeys.encrypted(pki.client.getKeyPair().getPrivate(), password);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void decodedKeyBytesAreClearedOnceTheKeyIsMadeAndWhenItCannotBe() {
        byte[] original = pki.client.getKeyPair().getPrivate().getEncoded();
        byte[] decoded = original.clone();

        PrivateKey key = ClientCertificate.toPrivateKey(decoded, "test");

        assertThat(key.getEncoded()).isEqualTo(original);
        assertThat(allZero(decoded)).as("decoded key bytes cleared").isTrue();
        byte[] garbage = {1, 2, 3, 4};
        assertThatThrownBy(() -> ClientCertificate.toPrivateKey(garbage, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an RSA or EC PKCS#8 key");
        assertThat(allZero(garbage))
                .as("bytes of a key that could not be made cleared")
                .isTrue();
    }

    @Test
    void thePasswordSpecIsClearedAfterDecryptingRightOrWrong() throws Exception {
        byte[] encrypted = encryptedKey("s3cret".toCharArray()).getEncoded();
        PBEKeySpec right = new PBEKeySpec("s3cret".toCharArray());
        PBEKeySpec wrong = new PBEKeySpec("nope".toCharArray());

        byte[] plain = ClientCertificate.decrypt(encrypted.clone(), right, "test");
        assertThatThrownBy(() -> ClientCertificate.decrypt(encrypted.clone(), wrong, "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong password");

        assertThat(plain).isEqualTo(pki.client.getKeyPair().getPrivate().getEncoded());
        // PBEKeySpec.getPassword throws once clearPassword has run
        assertThatThrownBy(right::getPassword).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(wrong::getPassword).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void callersPasswordsAreNeitherKeptNorChangedAndMayBeClearedAfterTheCall() throws Exception {
        char[] p12Password = TestPki.PASSWORD.clone();
        ClientCertificate fromPkcs12 = ClientCertificate.fromPkcs12(pkcs12(TestPki.PASSWORD), p12Password);
        char[] pemPassword = "s3cret".toCharArray();
        Path chain = write("chain.pem", pki.client.getCertificatePathPEM());
        Path key = write(
                "key.pem",
                pem("ENCRYPTED PRIVATE KEY", encryptedKey(pemPassword).getEncoded()));
        ClientCertificate fromPem = ClientCertificate.fromPem(chain, key, pemPassword);

        // the caller's arrays are the caller's: read, not cleared or kept
        assertThat(p12Password).isEqualTo(TestPki.PASSWORD);
        assertThat(pemPassword).isEqualTo("s3cret".toCharArray());
        java.util.Arrays.fill(p12Password, '\0');
        java.util.Arrays.fill(pemPassword, '\0');

        for (ClientCertificate certificate : List.of(fromPkcs12, fromPem)) {
            String keyAlgorithm = certificate.privateKey().getAlgorithm();
            String algorithm = "EC".equals(keyAlgorithm) ? "SHA256withECDSA" : "SHA256with" + keyAlgorithm;
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(certificate.privateKey());
            signer.update(new byte[] {1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.certificate());
            verifier.update(new byte[] {1, 2, 3});
            assertThat(verifier.verify(signature)).isTrue();
            assertThat(SslContexts.forCertificate(certificate).isClient()).isTrue();
        }
    }
}
