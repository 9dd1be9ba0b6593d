package io.aapns.mock;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The mock server's TLS: its own context, a context for clients that trust it, and the topic of a client's certificate.
 */
final class MockTls {

    private MockTls() {}

    /**
     * The server's context: its certificate, TLS 1.2/1.3, ALPN {@code h2} (or only HTTP/1.1 when told not to offer it).
     */
    static SslContext serverContext(MockCertificates certificates, boolean advertiseHttp2, boolean requireClientCert) {
        ApplicationProtocolConfig alpn = new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                advertiseHttp2 ? ApplicationProtocolNames.HTTP_2 : ApplicationProtocolNames.HTTP_1_1);
        try {
            return SslContextBuilder.forServer(
                            certificates.server().getKeyPair().getPrivate(),
                            certificates.server().getCertificatePath())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(certificates.ca().getCertificate())
                    .clientAuth(requireClientCert ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .applicationProtocolConfig(alpn)
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("could not build the mock server's TLS context", e);
        }
    }

    /** A JDK context that trusts the server's CA, presenting {@code clientCertificate} if not null. */
    static SSLContext clientContext(MockCertificates certificates, MockClientCertificate clientCertificate) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManager[] keyManagers = null;
            if (clientCertificate != null) {
                char[] password = "changeit".toCharArray();
                KeyStore store = clientCertificate.keyStore(password);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                keyManagers = kmf.getKeyManagers();
            }
            context.init(keyManagers, certificates.ca().toTrustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not build a client SSLContext", e);
        }
    }

    /** The topic of the client's certificate (its UID attribute), or null when it presented none. */
    static String clientTopic(X509Certificate clientCertificate) {
        return clientCertificate != null ? MockCertificates.topicOf(clientCertificate) : null;
    }

    /** The TLS client certificate the client presented, or null. */
    static X509Certificate clientCertificate(SslHandler ssl) {
        try {
            Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
            return peer.length > 0 && peer[0] instanceof X509Certificate x509 ? x509 : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
