package io.aapns.mock;

import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS client certificate issued by a mock server's CA for one topic, as Apple issues push certificates for one bundle
 * id. Hand it to a client as PEM files, a PKCS#12 file or a {@link KeyStore}; the mock server reads the topic back from
 * the certificate and allows that topic and its push-type suffixes ({@code .voip}, {@code .complication}, ...).
 */
public final class MockClientCertificate {

    private final String topic;
    private final X509Bundle bundle;

    MockClientCertificate(String topic, X509Bundle bundle) {
        this.topic = topic;
        this.bundle = bundle;
    }

    /** The bundle id this certificate may push to. */
    public String topic() {
        return topic;
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return bundle.getCertificate();
    }

    /** The chain from the leaf up to, not including, the mock CA. */
    public List<X509Certificate> certificateChain() {
        return List.of(bundle.getCertificatePath());
    }

    /** The private key (EC P-256). */
    public PrivateKey privateKey() {
        return bundle.getKeyPair().getPrivate();
    }

    /** The certificate in PEM. */
    public String certificatePem() {
        return bundle.getCertificatePEM();
    }

    /** The private key as unencrypted PKCS#8 PEM. */
    public String privateKeyPem() {
        return bundle.getPrivateKeyPEM();
    }

    /** A PKCS#12 key store holding the key and certificate under the alias {@code key}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", privateKey(), password, bundle.getCertificatePath());
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a PKCS#12 key store", e);
        }
    }

    /** Writes a PKCS#12 file protected by {@code password} and returns {@code file}. */
    public Path writePkcs12(Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(password).store(out, password);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not write " + file, e);
        }
    }

    /** Writes the certificate and the unencrypted PKCS#8 key as two PEM files. */
    public void writePem(Path certificateFile, Path keyFile) {
        try {
            Files.writeString(certificateFile, certificatePem(), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, privateKeyPem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the client certificate's PEM files", e);
        }
    }
}
