package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.KEY_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TEAM_ID;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.PushResult;
import io.aapns.connection.Connection;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ClosedException;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.aapns.pool.PoolOptions;
import io.aapns.spi.ApnsListener;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ApnsAutoConfigurationTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ApnsAutoConfiguration.class,
                    ApnsHealthContributorAutoConfiguration.class,
                    ApnsMetricsAutoConfiguration.class,
                    SslAutoConfiguration.class));

    private ApplicationContextRunner withPkcs12() {
        MockApnsServer apns = mock.server();
        return runner.withPropertyValues(
                TestFiles.url(apns),
                TestFiles.trust(apns),
                "aapns.topic=" + TOPIC,
                "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                "aapns.certificate.password=" + PASSWORD);
    }

    private static PushResult send(ApnsClient client) throws Exception {
        return client.send(DEVICE, Notification.builder().alert("Hi").build()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void pkcs12CertificateFromAFileLocationSendsOverTls() {
        withPkcs12().run(context -> {
            assertThat(context).hasSingleBean(ApnsClient.class).hasSingleBean(GracefullyClosedBean.class);
            ApnsClient client = context.getBean(ApnsClient.class);
            assertThat(client.clientCertificate())
                    .hasValueSatisfying(c -> assertThat(c.subject()).contains(TOPIC));
            assertThat(client.server().origin()).isEqualTo(mock.server().uri());
            assertThat(send(client).accepted()).isTrue();
            assertThat(mock.server().acceptedRequests()).hasSize(1);
        });
    }

    @Test
    void pemCertificateAndKeySendOverTls() {
        MockApnsServer apns = mock.server();
        Path[] pem = TestFiles.pem(apns.issueClientCertificate(TOPIC), dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + pem[0],
                        "aapns.certificate.key-path=" + pem[1].toUri())
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(client.clientCertificate()).isPresent();
                    assertThat(send(client).accepted()).isTrue();
                });
    }

    @Test
    void pemFilesInsideAJarAreRead() throws Exception {
        // resources that are not files (inside an application's jar) are read as streams, with no temporary copy
        MockApnsServer apns = mock.server();
        Path[] pem = TestFiles.pem(apns.issueClientCertificate(TOPIC), dir);
        Path jar = dir.resolve("secrets.jar");
        try (java.util.jar.JarOutputStream out =
                new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (Path file : pem) {
                out.putNextEntry(new java.util.jar.JarEntry(file.getFileName().toString()));
                out.write(java.nio.file.Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        String base = "jar:" + jar.toUri() + "!/";
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=" + base + "client.pem",
                        "aapns.certificate.key-path=" + base + "client-key.pem")
                .run(context -> assertThat(
                                send(context.getBean(ApnsClient.class)).accepted())
                        .isTrue());
    }

    @Test
    void tokenKeySendsOverTlsWithAJwt() {
        MockApnsServer apns = mock.server();
        Path p8 = TestFiles.p8(apns, dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.token.key-path=file:" + p8,
                        "aapns.token.key-id=" + KEY_ID,
                        "aapns.token.team-id=" + TEAM_ID)
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(client.signingKey())
                            .hasValueSatisfying(k -> assertThat(k.keyId()).isEqualTo(KEY_ID));
                    assertThat(client.clientCertificate()).isEmpty();
                    assertThat(send(client).accepted()).isTrue();
                    assertThat(mock.server().acceptedRequests().get(0).headers().get("authorization"))
                            .singleElement()
                            .asString()
                            .startsWith("bearer ");
                });
    }

    @Test
    void aPlainPathIsAFileRelativeToTheWorkingDirectory() throws Exception {
        MockApnsServer apns = mock.server();
        Path relative = Path.of("target", "plain-path-" + System.nanoTime(), "AuthKey_" + KEY_ID + ".p8");
        java.nio.file.Files.createDirectories(relative.getParent());
        java.nio.file.Files.copy(TestFiles.p8(apns, dir), relative);
        try {
            runner.withPropertyValues(
                            TestFiles.url(apns),
                            TestFiles.trust(apns),
                            "aapns.topic=" + TOPIC,
                            "aapns.token.key-path=" + relative.toString().replace('\\', '/'),
                            "aapns.token.key-id=" + KEY_ID,
                            "aapns.token.team-id=" + TEAM_ID)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(send(context.getBean(ApnsClient.class)).accepted())
                                .isTrue();
                    });
        } finally {
            java.nio.file.Files.deleteIfExists(relative);
            java.nio.file.Files.deleteIfExists(relative.getParent());
        }
    }

    @Test
    void certificateFromAnSslBundleWithItsTrustStore() {
        MockApnsServer apns = mock.server();
        Path p12 = TestFiles.pkcs12(apns, dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.ssl-bundle=apns",
                        "spring.ssl.bundle.pem.apns-ca.truststore.certificate=file:" + apns.caCertificateFile(),
                        "spring.ssl.bundle.jks.apns.keystore.location=file:" + p12,
                        "spring.ssl.bundle.jks.apns.keystore.password=" + PASSWORD,
                        "spring.ssl.bundle.jks.apns.keystore.type=PKCS12",
                        // the CA comes from aapns.trust-certificates here; the bundle's trust store is
                        // used when that is absent (next test)
                        TestFiles.trust(apns))
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(client.clientCertificate())
                            .hasValueSatisfying(c -> assertThat(c.subject()).contains(TOPIC));
                    assertThat(send(client).accepted()).isTrue();
                });
    }

    @Test
    void aReloadedSslBundleMovesTheClientOntoItsNewCertificateWhileSending() {
        MockApnsServer apns = mock.server();
        Path p12 = TestFiles.pkcs12(apns, dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.ssl-bundle=apns",
                        "spring.ssl.bundle.jks.apns.keystore.location=file:" + p12,
                        "spring.ssl.bundle.jks.apns.keystore.password=" + PASSWORD,
                        "spring.ssl.bundle.jks.apns.keystore.type=PKCS12")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(send(client).accepted()).isTrue();
                    java.time.Instant before =
                            client.clientCertificate().orElseThrow().notAfter();
                    Path renewed = apns.issueClientCertificate(TOPIC, Duration.ofDays(90))
                            .writePkcs12(dir.resolve("renewed.p12"), PASSWORD.toCharArray());
                    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
                    try (var in = java.nio.file.Files.newInputStream(renewed)) {
                        store.load(in, PASSWORD.toCharArray());
                    }
                    List<CompletableFuture<PushResult>> sent = new CopyOnWriteArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        sent.add(client.send(
                                DEVICE, Notification.builder().alert("#" + i).build()));
                    }
                    context.getBean(org.springframework.boot.ssl.SslBundleRegistry.class)
                            .updateBundle(
                                    "apns",
                                    org.springframework.boot.ssl.SslBundle.of(
                                            org.springframework.boot.ssl.SslStoreBundle.of(store, PASSWORD, null)));
                    for (int i = 20; i < 40; i++) {
                        sent.add(client.send(
                                DEVICE, Notification.builder().alert("#" + i).build()));
                    }
                    for (CompletableFuture<PushResult> f : sent) {
                        assertThat(f.get(30, TimeUnit.SECONDS).accepted()).isTrue();
                    }
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> !client.clientCertificate()
                                    .orElseThrow()
                                    .notAfter()
                                    .equals(before));
                    assertThat(client.clientCertificate().orElseThrow().notAfter())
                            .isBefore(before);
                    assertThat(send(client).accepted()).isTrue();
                });
    }

    @Test
    void aPemBundleRewrittenOnDiskIsPickedUpByTheFileWatcherAndRollsTheClientWhileSending() throws Exception {
        MockApnsServer apns = mock.server();
        // Certificate and key in one file, replaced by one atomic move: the watcher never sees half a pair.
        Path pem = dir.resolve("apns.pem");
        writeAtomically(pem, apns.issueClientCertificate(TOPIC));
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.ssl-bundle=apns",
                        "spring.ssl.bundle.pem.apns.reload-on-update=true",
                        "spring.ssl.bundle.pem.apns.keystore.certificate=file:" + pem,
                        "spring.ssl.bundle.pem.apns.keystore.private-key=file:" + pem,
                        "spring.ssl.bundle.watch.file.quiet-period=100ms")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(send(client).accepted()).isTrue();
                    java.time.Instant before =
                            client.clientCertificate().orElseThrow().notAfter();
                    List<CompletableFuture<PushResult>> sent = new CopyOnWriteArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        sent.add(client.send(
                                DEVICE, Notification.builder().alert("#" + i).build()));
                    }
                    writeAtomically(pem, apns.issueClientCertificate(TOPIC, Duration.ofDays(90)));
                    int[] batch = {0};
                    // Keep sending until the watcher has fired and the roll is done (bounded by count and time).
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> {
                                for (int i = 0; i < 10 && batch[0] < 2_000; i++, batch[0]++) {
                                    sent.add(client.send(
                                            DEVICE,
                                            Notification.builder()
                                                    .alert("after #" + batch[0])
                                                    .build()));
                                }
                                return !client.clientCertificate()
                                        .orElseThrow()
                                        .notAfter()
                                        .equals(before);
                            });
                    for (CompletableFuture<PushResult> f : sent) {
                        assertThat(f.get(30, TimeUnit.SECONDS).accepted()).isTrue();
                    }
                    assertThat(client.clientCertificate().orElseThrow().notAfter())
                            .isBefore(before);
                    assertThat(send(client).accepted()).isTrue();
                    assertThat(apns.acceptedRequests()).hasSize(sent.size() + 2);
                });
    }

    private static void writeAtomically(Path file, io.aapns.mock.MockClientCertificate certificate)
            throws java.io.IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        java.nio.file.Files.writeString(next, certificate.certificatePem() + certificate.privateKeyPem());
        java.nio.file.Files.move(
                next,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void pemSslBundleTrustStoreIsTrustedWhenTrustCertificatesIsAbsent() {
        MockApnsServer apns = mock.server();
        Path[] pem = TestFiles.pem(apns.issueClientCertificate(TOPIC), dir);
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.ssl-bundle=apns",
                        "spring.ssl.bundle.pem.apns.keystore.certificate=file:" + pem[0],
                        "spring.ssl.bundle.pem.apns.keystore.private-key=file:" + pem[1],
                        "spring.ssl.bundle.pem.apns.truststore.certificate=file:" + apns.caCertificateFile())
                .run(context -> assertThat(
                                send(context.getBean(ApnsClient.class)).accepted())
                        .isTrue());
    }

    @Test
    void withoutTrustCertificatesTheMockIsNotTrustedAndTheClientSaysWhy() {
        MockApnsServer apns = mock.server();
        runner.withPropertyValues(
                        TestFiles.url(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD)
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !client.isOpen());
                    assertThat(client.closeCause()).isPresent();
                    assertThat(mock.server().requests()).isEmpty();
                });
    }

    @Test
    void propertiesBindDurationsAndNestedRecords() {
        withPkcs12()
                .withPropertyValues(
                        "aapns.pool.size=3",
                        "aapns.pool.max-pending=50",
                        "aapns.connect-timeout=250ms",
                        "aapns.request-timeout=3s",
                        "aapns.ping-interval=1m",
                        "aapns.shutdown-timeout=2s",
                        "aapns.retry.initial-backoff=20ms",
                        "aapns.retry.max-backoff=1s",
                        "aapns.environment=development",
                        "aapns.alt-port=false")
                .run(context -> {
                    ApnsProperties p = context.getBean(ApnsProperties.class);
                    assertThat(p.enabled()).isTrue();
                    assertThat(p.environment()).isEqualTo(ApnsProperties.Environment.DEVELOPMENT);
                    assertThat(p.topic()).isEqualTo(TOPIC);
                    assertThat(p.pool().size()).isEqualTo(3);
                    assertThat(p.pool().maxPending()).isEqualTo(50);
                    assertThat(p.connectTimeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(p.pingInterval()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(p.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofMillis(20));
                    assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(1));
                    ApnsClient client = context.getBean(ApnsClient.class);
                    // aapns.url wins over aapns.environment; the pool has the configured size
                    assertThat(client.server().origin()).isEqualTo(mock.server().uri());
                    assertThat(client.topic()).contains(TOPIC);
                    assertThat(client.connections()).hasSize(3);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> mock.server().openConnections().size() == 3);
                });
    }

    @Test
    void maxPendingReachesThePool() {
        MockApnsServer apns = mock.server();
        apns.maxConcurrentStreams(1);
        apns.faults().stallAll(true);
        withPkcs12()
                .withPropertyValues("aapns.pool.size=1", "aapns.pool.max-pending=1", "aapns.request-timeout=30s")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> client.connections().stream()
                                    .anyMatch(c -> c.usable() && c.maxConcurrentStreams() == 1));
                    Notification n = Notification.builder().alert("Hi").build();
                    CompletableFuture<PushResult> onTheWire = client.send(DEVICE, n);
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> client.stats().inFlight() == 1);
                    CompletableFuture<PushResult> waiting = client.send(DEVICE, n);
                    CompletableFuture<PushResult> refused = client.send(DEVICE, n);
                    await().atMost(Duration.ofSeconds(5)).until(refused::isDone);
                    assertThat(refused).isCompletedExceptionally();
                    assertThat(waiting).isNotDone();
                    assertThat(onTheWire).isNotDone();
                    client.close();
                });
    }

    @Test
    void retryBackoffReachesThePool() {
        // a 503 is re-sent after the back-off: initial = max = 1 s with 50% jitter waits 0.5 to 1 s,
        // where the default (100 ms) would wait at most 100 ms
        mock.server().faults().respondNext(1, 503, "ServiceUnavailable");
        withPkcs12()
                .withPropertyValues("aapns.retry.initial-backoff=1s", "aapns.retry.max-backoff=1s")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    client.ready().get(10, TimeUnit.SECONDS);
                    long start = System.nanoTime();
                    assertThat(send(client).accepted()).isTrue();
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                            .isGreaterThanOrEqualTo(450);
                    assertThat(mock.server().requests()).hasSize(2);
                });
    }

    @Test
    void engineOptionsReachThePool() {
        withPkcs12()
                .withPropertyValues(
                        "aapns.pool.attempt-timeout=750ms", "aapns.pool.max-unsafe-retries=0", "aapns.ping-timeout=2s")
                .run(context -> {
                    PoolOptions options = TestFiles.poolOptions(context.getBean(ApnsClient.class));
                    assertThat(options.attemptTimeout()).isEqualTo(Duration.ofMillis(750));
                    assertThat(options.maxUnsafeRetries()).isZero();
                    assertThat(options.connectionOptions().pingTimeout()).isEqualTo(Duration.ofSeconds(2));
                    // no aapns.initialization-fail-timeout: the client does not close at its start timeout
                    assertThat(options.closeOnStartTimeout()).isFalse();
                });
    }

    @Test
    void frameLoggingIsOffUnlessAsked() {
        withPkcs12()
                .run(context -> assertThat(TestFiles.poolOptions(context.getBean(ApnsClient.class))
                                .connectionOptions()
                                .frameLogging())
                        .isFalse());
        withPkcs12().withPropertyValues("aapns.frame-logging=true").run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            assertThat(TestFiles.poolOptions(client).connectionOptions().frameLogging())
                    .isTrue();
            assertThat(send(client).accepted()).isTrue();
        });
    }

    @Test
    void engineOptionDefaultsReachThePool() {
        withPkcs12().run(context -> {
            PoolOptions options = TestFiles.poolOptions(context.getBean(ApnsClient.class));
            assertThat(options.attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(options.maxUnsafeRetries()).isEqualTo(1);
            assertThat(options.connectionOptions().pingTimeout()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void defaults() {
        ApnsProperties p = new Binder(new MapConfigurationPropertySource()).bindOrCreate("aapns", ApnsProperties.class);
        assertThat(p.enabled()).isTrue();
        assertThat(p.environment()).isEqualTo(ApnsProperties.Environment.PRODUCTION);
        assertThat(p.url()).isNull();
        assertThat(p.altPort()).isFalse();
        assertThat(p.pool().size()).isEqualTo(2);
        assertThat(p.pool().maxPending()).isEqualTo(10_000);
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.pingInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.retry().initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(p.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.pool().attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.pool().maxUnsafeRetries()).isEqualTo(1);
        assertThat(p.pingTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.initializationFailTimeout()).isNull();
        assertThat(p.certificate().configured()).isFalse();
        assertThat(p.token().configured()).isFalse();
    }

    @Test
    void serverFromEnvironmentAltPortAndUrl() {
        assertThat(server()).isEqualTo(ApnsServer.production());
        assertThat(server("aapns.environment=production")).isEqualTo(ApnsServer.production());
        assertThat(server("aapns.environment=development")).isEqualTo(ApnsServer.development());
        assertThat(server("aapns.environment=DEVELOPMENT", "aapns.alt-port=true")
                        .origin())
                .isEqualTo(URI.create("https://api.sandbox.push.apple.com:2197"));
        assertThat(server("aapns.alt-port=true").origin()).isEqualTo(URI.create("https://api.push.apple.com:2197"));
        assertThat(server("aapns.environment=development", "aapns.url=https://127.0.0.1:8443")
                        .origin())
                .isEqualTo(URI.create("https://127.0.0.1:8443"));
    }

    private static ApnsServer server(String... properties) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (String p : properties) {
            String[] kv = p.split("=", 2);
            map.put(kv[0], kv[1]);
        }
        return ApnsClientFactory.server(
                new Binder(new MapConfigurationPropertySource(map)).bindOrCreate("aapns", ApnsProperties.class));
    }

    @Test
    void disabledMeansNoClientNoHealthNoMetrics() {
        withPkcs12().withPropertyValues("aapns.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context)
                    .doesNotHaveBean(ApnsClient.class)
                    .doesNotHaveBean(ApnsProperties.class)
                    .doesNotHaveBean(ApnsHealthContributor.class)
                    .doesNotHaveBean(ApnsMetrics.class);
        });
        // disabled needs no credentials at all
        runner.withPropertyValues("aapns.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ApnsClient.class));
    }

    @Test
    void anApplicationClientWinsAndIsNotClosedGracefullyByUs() {
        MockApnsServer apns = mock.server();
        ApnsClient own = ApnsClient.builder()
                .server(ApnsServer.of(apns.uri()))
                .trustedCertificates(List.of(apns.caCertificate()))
                .clientCertificate(
                        io.aapns.auth.ClientCertificate.fromPkcs12(TestFiles.pkcs12(apns, dir), PASSWORD.toCharArray()))
                .build();
        try {
            // no aapns.* credentials: the auto-configuration must not even try
            runner.withBean("myClient", ApnsClient.class, () -> own, bd -> bd.setDestroyMethodName(""))
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context).hasSingleBean(ApnsClient.class).doesNotHaveBean(GracefullyClosedBean.class);
                        assertThat(context.getBean(ApnsClient.class)).isSameAs(own);
                        assertThat(context).hasSingleBean(ApnsHealthContributor.class);
                    });
            assertThat(own.isOpen()).isTrue();
        } finally {
            own.close();
        }
    }

    @Test
    void listenerBeansAndMetricsAllReceiveEventsAndCustomizersApply() {
        withPkcs12()
                .withBean(io.micrometer.core.instrument.simple.SimpleMeterRegistry.class)
                .withUserConfiguration(ListenerAndCustomizer.class)
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    assertThat(client.connections()).hasSize(1); // the customizer beat aapns.pool.size's default 2
                    assertThat(send(client).accepted()).isTrue();
                    RecordingListener recording = context.getBean(RecordingListener.class);
                    await().atMost(Duration.ofSeconds(5)).until(() -> recording.statuses.contains(200));
                    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
                    context.getBean(ApnsMetrics.class).bindTo(registry);
                    assertThat(send(client).accepted()).isTrue();
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> registry.find("aapns.notifications")
                                            .tag("outcome", "accepted")
                                            .counter()
                                    != null);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class ListenerAndCustomizer {
        @Bean
        RecordingListener recordingListener() {
            return new RecordingListener();
        }

        @Bean
        ApnsClientBuilderCustomizer onePool() {
            return builder -> builder.poolSize(1);
        }
    }

    static class RecordingListener implements ApnsListener {
        final List<Integer> statuses = new CopyOnWriteArrayList<>();

        @Override
        public void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {
            statuses.add(response.status());
        }
    }

    @Test
    void contextCloseLetsNotificationsInFlightFinish() {
        mock.server().faults().delay(Duration.ofMillis(500));
        withPkcs12().withPropertyValues("aapns.shutdown-timeout=10s").run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            client.ready().get(10, TimeUnit.SECONDS);
            CompletableFuture<PushResult> inFlight =
                    client.send(DEVICE, Notification.builder().alert("last").build());
            await().atMost(Duration.ofSeconds(5)).until(() -> client.stats().inFlight() == 1);
            context.getSourceApplicationContext().close();
            // closed with close() the notification would fail with ClosedException; gracefully it is answered
            assertThat(inFlight).isCompleted();
            assertThat(inFlight.get().accepted()).isTrue();
            assertThat(client.isOpen()).isFalse();
        });
    }

    @Test
    void shutdownTimeoutBoundsTheWait() {
        // APNs answers 10 s after the request. Closing the context with a shutdown timeout of 300 ms
        // closes the client before that answer, so the notification fails; with the default (30 s),
        // or any timeout the setting did not reach, the close would wait and the answer would come.
        mock.server().faults().delay(Duration.ofSeconds(10));
        withPkcs12()
                .withPropertyValues(
                        "aapns.shutdown-timeout=300ms", "aapns.request-timeout=60s", "aapns.pool.attempt-timeout=30s")
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    client.ready().get(10, TimeUnit.SECONDS);
                    CompletableFuture<PushResult> slow = client.send(
                            DEVICE, Notification.builder().alert("x").build());
                    await().atMost(Duration.ofSeconds(5))
                            .until(() -> client.stats().inFlight() == 1);
                    long start = System.nanoTime();
                    context.getSourceApplicationContext().close();
                    // graceful: it waited for the timeout rather than closing at once
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                            .isGreaterThanOrEqualTo(250L);
                    assertThat(client.isOpen()).isFalse();
                    await().atMost(Duration.ofSeconds(5)).until(slow::isDone);
                    assertThat(slow).isCompletedExceptionally();
                    Throwable failure = slow.handle((r, e) -> e instanceof CompletionException ? e.getCause() : e)
                            .join();
                    assertThat(failure).isInstanceOf(ClosedException.class);
                    assertThat(mock.server().requests()).hasSize(1); // sent once, never answered
                });
    }

    // ------------------------------------------------------------------ closing with the client bean

    @Test
    void aLazilyInitializedClientIsClosedWithTheContext() {
        ApnsClient[] made = new ApnsClient[1];
        withPkcs12()
                .withInitializer(c -> c.addBeanFactoryPostProcessor(
                        new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
                .run(context -> {
                    made[0] = context.getBean(ApnsClient.class);
                    assertThat(send(made[0]).accepted()).isTrue();
                });
        assertThat(made[0].isOpen()).isFalse();
    }

    @Test
    void aBeanThatSendsFromPreDestroyIsDestroyedBeforeTheClient() {
        withPkcs12().withUserConfiguration(SendsOnShutdown.class).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            client.ready().get(10, TimeUnit.SECONDS);
            SendsOnShutdown.last = null;
            context.getSourceApplicationContext().close();
            assertThat(SendsOnShutdown.last).isNotNull();
            assertThat(SendsOnShutdown.last.get(10, TimeUnit.SECONDS).accepted())
                    .isTrue();
            assertThat(client.isOpen()).isFalse();
        });
    }

    @Test
    void aClientMadeBeforeAnotherBeanFailedIsClosed() {
        FailsAfterTheClient.seen = null;
        withPkcs12().withUserConfiguration(FailsAfterTheClient.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(FailsAfterTheClient.seen).isNotNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> !FailsAfterTheClient.seen.isOpen());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class SendsOnShutdown {
        static volatile CompletableFuture<PushResult> last;

        @Bean
        Sender sender(ApnsClient client) {
            return new Sender(client);
        }

        /** Sends at its destruction, as a {@code @PreDestroy} method would (the same destruction order). */
        static final class Sender implements org.springframework.beans.factory.DisposableBean {
            private final ApnsClient client;

            Sender(ApnsClient client) {
                this.client = client;
            }

            @Override
            public void destroy() {
                last = client.send(DEVICE, Notification.builder().alert("bye").build());
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailsAfterTheClient {
        static volatile ApnsClient seen;

        @Bean
        Object failing(ApnsClient client) {
            seen = client;
            throw new IllegalStateException("this bean fails on purpose");
        }
    }
}
