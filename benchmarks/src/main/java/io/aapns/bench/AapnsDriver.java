package io.aapns.bench;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.SendOptions;
import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.auth.SslContexts;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import io.netty.channel.epoll.Epoll;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives aapns' high-level {@link ApnsClient}. */
final class AapnsDriver implements Driver {
    private final ApnsClient client;
    private final String token;
    private final Notification notification;
    private final SendOptions options =
            SendOptions.builder().pushType(PushType.ALERT).build();

    AapnsDriver(
            URI url,
            Path cert,
            String password,
            Path p8,
            String keyId,
            String teamId,
            Path trust,
            List<X509Certificate> trusted,
            String topic,
            int connections,
            int maxPending,
            String token,
            byte[] payload) {
        ApnsClient.Builder b = ApnsClient.builder()
                .server(ApnsServer.of(url))
                .topic(topic)
                .poolSize(connections)
                .requestTimeout(Duration.ofSeconds(30))
                .maxPending(maxPending);
        if (cert != null) {
            b.clientCertificate(ClientCertificate.fromPkcs12(cert, password.toCharArray()));
        } else {
            b.signingKey(SigningKey.fromP8(p8, keyId, teamId));
        }
        if (trust != null) {
            b.trustedCertificates(trust);
        } else if (trusted != null) {
            b.trustedCertificates(trusted);
        }
        this.client = b.build();
        this.token = token;
        this.notification = Notification.ofJson(payload);
    }

    @Override
    public void send(Outcome outcome) {
        client.send(token, notification, options).whenComplete((result, error) -> {
            if (error != null) {
                outcome.done(FAILED, error);
            } else {
                outcome.done(result.accepted() ? ACCEPTED : REJECTED, null);
            }
        });
    }

    /** The client driven, for the counters of its pool. */
    ApnsClient client() {
        return client;
    }

    @Override
    public void awaitReady() throws Exception {
        client.ready().get(30, TimeUnit.SECONDS);
    }

    @Override
    public String describe() {
        return "aapns (" + (Epoll.isAvailable() ? "epoll" : "nio") + ", "
                + (SslContexts.openSslAvailable() ? "OpenSSL" : "JDK TLS") + ")";
    }

    @Override
    public void close() {
        try {
            client.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.close();
        }
    }
}
