package io.aapns.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.testing.TestPki;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways to make a {@link ClientCertificate} besides files and char[] passwords: held keys, streams, Strings. */
class ClientCertificateSourcesTest {
    private final TestPki pki = TestPki.get();

    @TempDir
    Path dir;

    /** A stream that records whether it was closed. */
    static final class Tracked extends ByteArrayInputStream {
        boolean closed;

        Tracked(String text) {
            super(text.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aHeldKeyAndItsChain() {
        PrivateKey key = pki.client.getKeyPair().getPrivate();
        X509Certificate[] chain = pki.client.getCertificatePath();

        ClientCertificate c = ClientCertificate.of(key, chain);

        assertThat(c.privateKey()).isSameAs(key);
        assertThat(c.chain()).containsExactly(chain);
        assertThat(c.certificate()).isEqualTo(pki.client.getCertificate());
        // the caller's array is copied
        chain[0] = pki.server.getCertificate();
        assertThat(c.certificate()).isEqualTo(pki.client.getCertificate());
    }

    @Test
    void aKeyFromAnotherPairIsRefused() {
        assertThatThrownBy(
                        () -> ClientCertificate.of(pki.server.getKeyPair().getPrivate(), pki.client.getCertificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining("com.example.app");
    }

    @Test
    void aKeyOfAnotherAlgorithmIsRefused() {
        PrivateKey other = pki.client.getKeyPair().getPrivate().getAlgorithm().equals("RSA")
                ? TestKeys.ec("secp256r1").getPrivate()
                : TestKeys.rsa().getPrivate();
        assertThatThrownBy(() -> ClientCertificate.of(other, pki.client.getCertificate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("they are not a pair");
    }

    @Test
    void anEmptyChainOrANullCertificateIsRefused() {
        PrivateKey key = pki.client.getKeyPair().getPrivate();
        assertThatThrownBy(() -> ClientCertificate.of(key)).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> ClientCertificate.of(key, pki.client.getCertificate(), null))
                .hasMessageContaining("certificate 2 of the chain is null");
    }

    @Test
    void pemFromStreamsWhichStayOpen() {
        Tracked chain = new Tracked(pki.client.getCertificatePathPEM());
        Tracked key = new Tracked(pki.client.getPrivateKeyPEM());

        ClientCertificate c = ClientCertificate.fromPem(chain, key);

        assertThat(c.certificate()).isEqualTo(pki.client.getCertificate());
        assertThat(c.privateKey().getEncoded())
                .isEqualTo(pki.client.getKeyPair().getPrivate().getEncoded());
        assertThat(chain.closed).isFalse();
        assertThat(key.closed).isFalse();
    }

    @Test
    void pemStreamsWithoutACertificateOrKeySaySo() {
        InputStream empty = new ByteArrayInputStream(new byte[0]);
        assertThatThrownBy(() -> ClientCertificate.fromPem(empty, new Tracked(pki.client.getPrivateKeyPEM())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no certificate in the certificate chain stream");
        assertThatThrownBy(() -> ClientCertificate.fromPem(
                        new Tracked(pki.client.getCertificatePathPEM()), new Tracked("not a key"), (char[]) null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the private key stream");
    }

    @Test
    void passwordsHeldAsStrings() throws Exception {
        KeyStore ks = pki.client.toKeyStore(TestPki.PASSWORD);
        Path p12 = dir.resolve("client.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, TestPki.PASSWORD);
        }
        assertThat(ClientCertificate.fromPkcs12(p12, new String(TestPki.PASSWORD))
                        .certificate())
                .isEqualTo(pki.client.getCertificate());
        assertThatThrownBy(() -> ClientCertificate.fromPkcs12(p12, "wrong")).hasMessageContaining("password");

        Path chain = Files.writeString(dir.resolve("chain.pem"), pki.client.getCertificatePathPEM());
        Path key = Files.writeString(dir.resolve("key.pem"), pki.client.getPrivateKeyPEM());
        assertThat(ClientCertificate.fromPem(chain, key, (String) null).certificate())
                .isEqualTo(pki.client.getCertificate());
    }
}
