package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SigningKey;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.MockConnection;
import io.aapns.model.Notification;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replacing a client's certificate while it sends: connections move one at a time, nothing is lost. */
class CertificateRollTest {

    private static final String TOPIC = ApnsClientTest.TOPIC;
    private static final String TOKEN = ApnsClientTest.TOKEN;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private MockApnsServer server;

    @BeforeEach
    void startServer() {
        server = MockApnsServer.builder().requireClientCertificate(true).start();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        server.close();
    }

    private ApnsClient client(MockClientCertificate certificate, int poolSize) {
        ApnsClient client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(of(certificate))
                .trustedCertificates(List.of(server.caCertificate()))
                .topic(TOPIC)
                .poolSize(poolSize)
                .build();
        closeables.add(0, client);
        return client;
    }

    private static ClientCertificate of(MockClientCertificate issued) {
        return ClientCertificate.of(
                issued.privateKey(), issued.certificateChain().toArray(X509Certificate[]::new));
    }

    @Test
    void rollsEveryConnectionWhileSendingAndLosesNothing() throws Exception {
        MockClientCertificate oldCertificate = server.issueClientCertificate(TOPIC, Duration.ofDays(10));
        MockClientCertificate newCertificate = server.issueClientCertificate(TOPIC, Duration.ofDays(400));
        ApnsClient client = client(oldCertificate, 3);
        client.ready().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.openConnections().size() == 3);
        List<MockConnection> oldConnections = server.openConnections();
        assertThat(oldConnections)
                .allSatisfy(c -> assertThat(c.clientCertificate()).hasValue(oldCertificate.certificate()));

        // A steady stream, at most 32 in flight, bounded in count: the roll starts after the first 200 and the
        // stream goes on until the roll is over and 200 more have gone.
        Semaphore window = new Semaphore(32);
        List<CompletableFuture<PushResult>> sent = new ArrayList<>();
        CompletableFuture<Void> roll = null;
        int afterRoll = 0;
        int duringRoll = 0;
        for (int i = 0; i < 20_000 && afterRoll < 200; i++) {
            assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<PushResult> f =
                    client.send(TOKEN, Notification.builder().alert("n" + i).build());
            f.whenComplete((r, e) -> window.release());
            sent.add(f);
            if (i == 200) {
                roll = client.replaceCertificate(of(newCertificate));
            }
            if (roll != null && roll.isDone()) {
                afterRoll++;
            } else if (roll != null) {
                duringRoll++;
            }
        }
        assertThat(roll).isNotNull();
        roll.get(30, TimeUnit.SECONDS);
        assertThat(duringRoll)
                .as("notifications sent while the connections moved")
                .isPositive();

        for (CompletableFuture<PushResult> f : sent) {
            assertThat(f.get(30, TimeUnit.SECONDS).accepted()).isTrue();
        }
        assertThat(server.acceptedRequests()).hasSize(sent.size()); // each once: no duplicate
        assertThat(client.stats().failed()).isZero();
        assertThat(client.stats().possibleDuplicates()).isZero();
        assertThat(oldConnections).noneMatch(MockConnection::isOpen);
        assertThat(server.openConnections())
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.clientCertificate()).hasValue(newCertificate.certificate()));
        assertThat(server.connections())
                .filteredOn(c -> c.clientCertificate().orElseThrow().equals(oldCertificate.certificate()))
                .hasSize(3);
        assertThat(client.clientCertificate().orElseThrow().notAfter())
                .isEqualTo(newCertificate.certificate().getNotAfter().toInstant());

        // and it goes on sending on the new connections only
        assertThat(client.send(TOKEN, Notification.builder().alert("after").build())
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
        assertThat(server.openConnections())
                .allSatisfy(c -> assertThat(c.clientCertificate()).hasValue(newCertificate.certificate()));
    }

    @Test
    void aCertificateTheServerRefusesChangesNothing() throws Exception {
        MockClientCertificate good = server.issueClientCertificate(TOPIC);
        ApnsClient client = client(good, 1);
        client.ready().get(30, TimeUnit.SECONDS);
        MockClientCertificate foreign;
        try (MockApnsServer other = MockApnsServer.builder().start()) {
            foreign = other.issueClientCertificate(TOPIC); // signed by a CA this server does not trust
        }

        CompletableFuture<Void> roll = client.replaceCertificate(of(foreign));

        assertThatThrownBy(() -> roll.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("the new credentials could not open a connection")
                .hasMessageContaining("the connections stay on the old ones");
        assertThat(client.clientCertificate().orElseThrow().certificate()).isEqualTo(good.certificate());
        assertThat(client.isOpen()).isTrue();
        assertThat(client.send(TOKEN, Notification.builder().alert("still").build())
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
        assertThat(server.openConnections())
                .hasSize(1)
                .allSatisfy(c -> assertThat(c.clientCertificate()).hasValue(good.certificate()));
    }

    @Test
    void rollsOneAfterTheOther() throws Exception {
        MockClientCertificate first = server.issueClientCertificate(TOPIC);
        MockClientCertificate second = server.issueClientCertificate(TOPIC);
        MockClientCertificate third = server.issueClientCertificate(TOPIC);
        ApnsClient client = client(first, 2);
        client.ready().get(30, TimeUnit.SECONDS);

        CompletableFuture<Void> a = client.replaceCertificate(of(second));
        CompletableFuture<Void> b = client.replaceCertificate(of(third));
        CompletableFuture.allOf(a, b).get(30, TimeUnit.SECONDS);

        assertThat(client.clientCertificate().orElseThrow().certificate()).isEqualTo(third.certificate());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> server.openConnections().size() == 2);
        assertThat(server.openConnections())
                .allSatisfy(c -> assertThat(c.clientCertificate()).hasValue(third.certificate()));
        assertThat(client.send(TOKEN, Notification.builder().alert("x").build())
                        .get(30, TimeUnit.SECONDS)
                        .accepted())
                .isTrue();
    }

    @Test
    void tokenClientsCannotReplaceACertificate() throws Exception {
        KeyPair key = ApnsClientTest.ecKey();
        ApnsClient client = ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .signingKey(SigningKey.of(key.getPrivate(), ApnsClientTest.KEY_ID, ApnsClientTest.TEAM))
                .trustedCertificates(List.of(server.caCertificate()))
                .build();
        closeables.add(client);
        ClientCertificate certificate = of(server.issueClientCertificate(TOPIC));

        assertThatThrownBy(() -> client.replaceCertificate(certificate))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token authentication")
                .hasMessageContaining("clientCertificate(...)");
    }
}
