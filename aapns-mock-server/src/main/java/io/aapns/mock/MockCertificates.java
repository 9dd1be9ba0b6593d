package io.aapns.mock;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The certificate authority of one mock server: it signs the server's certificate (valid for 127.0.0.1, ::1 and
 * localhost) and client certificates for chosen topics. Everything is generated in memory at start; PEM copies are
 * written to a private temporary folder so that tools outside the JVM can trust the CA.
 */
final class MockCertificates {

    /** OID of the X.500 attribute UID, where Apple's push certificates carry the bundle id. */
    static final String OID_UID = "0.9.2342.19200300.100.1.1";

    private final X509Bundle ca;
    private final X509Bundle server;
    private final Path directory;

    private MockCertificates(X509Bundle ca, X509Bundle server, Path directory) {
        this.ca = ca;
        this.server = server;
        this.directory = directory;
    }

    static MockCertificates generate() {
        try {
            Instant now = Instant.now();
            X509Bundle ca = new CertificateBuilder()
                    .subject("CN=aapns mock APNs CA, O=aapns")
                    .notBefore(now.minus(Duration.ofDays(1)))
                    .notAfter(now.plus(Duration.ofDays(3650)))
                    .ecp256()
                    .setIsCertificateAuthority(true)
                    .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign)
                    .buildSelfSigned();
            X509Bundle server = new CertificateBuilder()
                    .subject("CN=localhost, O=aapns mock APNs")
                    .notBefore(now.minus(Duration.ofDays(1)))
                    .notAfter(now.plus(Duration.ofDays(3650)))
                    .ecp256()
                    .addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1")
                    .addSanIpAddress("::1")
                    .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                    .addExtendedKeyUsageServerAuth()
                    .buildIssuedBy(ca);
            Path directory = Files.createTempDirectory("aapns-mock-");
            directory.toFile().deleteOnExit();
            MockCertificates certificates = new MockCertificates(ca, server, directory);
            certificates.write("ca.pem", ca.getCertificatePEM());
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the mock server's certificates", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not generate the mock server's certificates", e);
        }
    }

    X509Bundle ca() {
        return ca;
    }

    X509Bundle server() {
        return server;
    }

    Path caFile() {
        return directory.resolve("ca.pem");
    }

    Path directory() {
        return directory;
    }

    /**
     * Issues a client certificate for {@code topic}, as Apple issues push certificates: the bundle id in the subject's
     * UID attribute.
     */
    MockClientCertificate issueClient(String topic, Duration validity) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank() || topic.contains(",") || topic.contains("=") || topic.contains("+")) {
            throw new IllegalArgumentException(
                    "topic must be a bundle id such as com.example.app, got '" + topic + "'");
        }
        try {
            Instant now = Instant.now();
            X509Bundle client = new CertificateBuilder()
                    .subject("UID=" + topic + ", CN=Apple Push Services: " + topic + ", O=aapns mock")
                    .notBefore(now.minus(Duration.ofMinutes(5)))
                    .notAfter(now.plus(validity))
                    .ecp256()
                    .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                    .addExtendedKeyUsageClientAuth()
                    .buildIssuedBy(ca);
            return new MockClientCertificate(topic, client);
        } catch (Exception e) {
            throw new IllegalStateException("could not issue a client certificate for " + topic, e);
        }
    }

    /** The topic (bundle id) a client certificate was issued for, or null if it names none. */
    static String topicOf(X509Certificate certificate) {
        String name = certificate
                .getSubjectX500Principal()
                .getName(javax.security.auth.x500.X500Principal.RFC2253, java.util.Map.of(OID_UID, "UID"));
        for (String part : name.split(",")) {
            String trimmed = part.trim();
            if (trimmed.regionMatches(true, 0, "UID=", 0, 4)) {
                return trimmed.substring(4);
            }
        }
        return null;
    }

    private void write(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        file.toFile().deleteOnExit();
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
