package io.aapns.bench;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.OpenSsl;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives Pushy 0.15.4 with the same settings: connections, trust, credentials, payload, push type. Pushy picks its
 * socket channel from the group's class name, so it gets Netty's classic {@code EpollEventLoopGroup} (or
 * {@code NioEventLoopGroup}), with as many threads as aapns' pool uses.
 */
final class PushyDriver implements Driver {
    private final ApnsClient client;
    private final EventLoopGroup group;
    private final SimpleApnsPushNotification notification;

    @SuppressWarnings("deprecation")
    PushyDriver(
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
            String token,
            String payload)
            throws Exception {
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        this.group = Epoll.isAvailable() ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        ApnsClientBuilder b = new ApnsClientBuilder()
                .setApnsServer(url.getHost(), url.getPort() < 0 ? 443 : url.getPort())
                .setConcurrentConnections(connections)
                .setEventLoopGroup(group)
                // the mock server (like nginx) picks HTTP/2 by ALPN; Pushy leaves ALPN off unless told
                .setUseAlpn(true);
        if (cert != null) {
            b.setClientCredentials(cert.toFile(), password);
        } else {
            b.setSigningKey(ApnsSigningKey.loadFromPkcs8File(p8.toFile(), teamId, keyId));
        }
        if (trust != null) {
            b.setTrustedServerCertificateChain(trust.toFile());
        } else if (trusted != null) {
            b.setTrustedServerCertificateChain(trusted.toArray(new X509Certificate[0]));
        }
        this.client = b.build();
        this.notification =
                new SimpleApnsPushNotification(token, topic, payload, null, DeliveryPriority.IMMEDIATE, PushType.ALERT);
    }

    @Override
    public void send(Outcome outcome) {
        client.sendNotification(notification).whenComplete((response, error) -> {
            if (error != null) {
                outcome.done(FAILED, error);
            } else {
                outcome.done(response.isAccepted() ? ACCEPTED : REJECTED, null);
            }
        });
    }

    @Override
    public void awaitReady() {
        // Pushy connects on first use; the warm-up covers it.
    }

    @Override
    public String describe() {
        return "Pushy 0.15.4 (" + (Epoll.isAvailable() ? "epoll" : "nio") + ", "
                + (OpenSsl.isAvailable() ? "OpenSSL" : "JDK TLS") + ")";
    }

    @Override
    public void close() {
        try {
            client.close().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // shutting down anyway
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
