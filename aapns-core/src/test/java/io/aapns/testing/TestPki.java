package io.aapns.testing;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Test certificates made at run time: a CA, a server certificate for loopback, a client certificate. */
public final class TestPki {
    public static final char[] PASSWORD = "changeit".toCharArray();

    private static volatile TestPki instance;

    public final X509Bundle ca;
    public final X509Bundle server;
    public final X509Bundle client;
    public final X509Bundle otherCa;
    /** Issued by {@link #ca} for another host name: fails host name verification on loopback. */
    public final X509Bundle wrongHostServer;

    private TestPki() throws Exception {
        Instant now = Instant.now();
        CertificateBuilder base = new CertificateBuilder()
                .ecp256()
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(30, ChronoUnit.DAYS));
        ca = base.copy()
                .subject("CN=aapns test CA")
                .setIsCertificateAuthority(true)
                .buildSelfSigned();
        otherCa = base.copy()
                .subject("CN=some other CA")
                .setIsCertificateAuthority(true)
                .buildSelfSigned();
        server = base.copy()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(ca);
        wrongHostServer = base.copy()
                .subject("CN=api.push.example")
                .addSanDnsName("api.push.example")
                .addExtendedKeyUsageServerAuth()
                .buildIssuedBy(ca);
        client = base.copy()
                .subject("CN=Apple Push Services: com.example.app, UID=com.example.app")
                .addExtendedKeyUsageClientAuth()
                .buildIssuedBy(ca);
    }

    public static TestPki get() {
        if (instance == null) {
            synchronized (TestPki.class) {
                if (instance == null) {
                    try {
                        instance = new TestPki();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return instance;
    }

    public List<X509Certificate> caCertificates() {
        return List.of(ca.getCertificate());
    }

    /** Writes the server's key and chain as a PKCS#12 key store (for WireMock). */
    public Path serverKeyStore(Path dir) throws Exception {
        return keyStore(server, dir.resolve("server.p12"));
    }

    /** Writes {@code bundle}'s key and chain as a PKCS#12 key store. */
    public Path keyStore(X509Bundle bundle, Path file) throws Exception {
        KeyStore ks = bundle.toKeyStore(PASSWORD);
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }
}
