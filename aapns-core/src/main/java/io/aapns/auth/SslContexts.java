package io.aapns.auth;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Builds the Netty client {@link SslContext} that APNs requires: TLS 1.2 or 1.3 only, ALPN {@code h2}, HTTP/2-approved
 * ciphers, host name verification, and a client certificate for certificate authentication or none for token
 * authentication. Uses OpenSSL (BoringSSL from {@code netty-tcnative-boringssl-static}) when it is on the class path,
 * the JDK otherwise.
 *
 * <p>By default the server is checked against the system's trust store; add CA certificates (a mock server's, a
 * corporate proxy's) with {@link Builder#trustedCertificates}. When CA certificates are given, only they are trusted.
 */
public final class SslContexts {

    private SslContexts() {}

    /** A context for token (JWT) authentication: no client certificate, system trust store. */
    public static SslContext forTokenAuthentication() {
        return builder().build();
    }

    /** A context for certificate authentication with {@code certificate}, system trust store. */
    public static SslContext forCertificate(ClientCertificate certificate) {
        return builder().clientCertificate(certificate).build();
    }

    /** Starts a builder for the less common cases (own CA certificates, a chosen provider). */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether OpenSSL (with ALPN) is available and used by default. */
    public static boolean openSslAvailable() {
        try {
            return OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL);
        } catch (Throwable notOnClassPath) {
            return false;
        }
    }

    /** Builds an APNs client {@link SslContext}. Not thread-safe. */
    public static final class Builder {
        private ClientCertificate certificate;
        private final List<X509Certificate> trusted = new ArrayList<>();
        private SslProvider provider;

        private Builder() {}

        /** Authenticate with this client certificate (certificate-based APNs authentication). */
        public Builder clientCertificate(ClientCertificate certificate) {
            this.certificate = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /**
         * Trust these CA certificates (and only the CA certificates given to this builder).
         *
         * @throws CredentialException if the list is empty ({@code NO_CERTIFICATE}): trusting nothing given would
         *     otherwise mean trusting the system trust store, which is not what was asked for
         */
        public Builder trustedCertificates(List<X509Certificate> certificates) {
            List<X509Certificate> copy = List.copyOf(Objects.requireNonNull(certificates, "certificates"));
            if (copy.isEmpty()) {
                throw new CredentialException(
                        CredentialException.Kind.NO_CERTIFICATE,
                        "the list of trusted certificates has no certificate: give"
                                + " the CA certificates to trust, or leave trustedCertificates unset to use the system"
                                + " trust store");
            }
            trusted.addAll(copy);
            return this;
        }

        /**
         * Trust the CA certificates in this PEM file (and only those given to this builder).
         *
         * @throws CredentialException if the file does not exist, cannot be read, is neither PEM nor DER, or has no
         *     certificate ({@link CredentialException#kind()} says which)
         */
        public Builder trustedCertificates(Path pemFile) {
            List<X509Certificate> certs =
                    ClientCertificate.readCertificates(Objects.requireNonNull(pemFile, "pemFile"));
            if (certs.isEmpty()) {
                throw new CredentialException(
                        CredentialException.Kind.NO_CERTIFICATE,
                        "no certificate in " + pemFile + ": a trusted-certificates file"
                                + " holds PEM blocks '-----BEGIN CERTIFICATE-----'; leave it unset to use the system"
                                + " trust store");
            }
            trusted.addAll(certs);
            return this;
        }

        /** Use this TLS provider instead of the default (OpenSSL when available, else the JDK). */
        public Builder provider(SslProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /** Builds the context; fails with {@link IllegalStateException} if TLS cannot be set up. */
        public SslContext build() {
            SslProvider p = provider != null ? provider : (openSslAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
            SslContextBuilder b = SslContextBuilder.forClient()
                    .sslProvider(p)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2));
            if (!trusted.isEmpty()) {
                b.trustManager(trusted);
            }
            if (certificate != null) {
                b.keyManager(certificate.privateKey(), certificate.chain());
            }
            try {
                return b.build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot build the TLS context: " + e.getMessage(), e);
            }
        }
    }
}
