package io.aapns.internal;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SslContexts;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A client's TLS settings apart from its certificate: whom it trusts (the system's CAs, a PEM file, or a list). Makes
 * the TLS context for a certificate, at build time and again when the certificate is replaced. Not API.
 */
public final class ClientTls {

    private final List<X509Certificate> trusted;
    private final Path trustedFile;

    /** @param trusted the CAs to trust, or null; @param trustedFile a PEM file of them, or null: the system's */
    public ClientTls(List<X509Certificate> trusted, Path trustedFile) {
        this.trusted = trusted;
        this.trustedFile = trustedFile;
    }

    /** The context for certificate authentication with {@code certificate}, or token authentication when null. */
    public SslContext context(ClientCertificate certificate) {
        SslContexts.Builder tls = SslContexts.builder();
        if (certificate != null) {
            tls.clientCertificate(certificate);
        }
        if (trustedFile != null) {
            tls.trustedCertificates(trustedFile);
        } else if (trusted != null) {
            tls.trustedCertificates(trusted);
        }
        return tls.build();
    }
}
