package io.aapns.bench.jmh;

import io.aapns.auth.ClientCertificate;
import io.aapns.auth.SslContexts;
import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full send through one {@link Connection} (TLS, HTTP/2) to an in-process aapns-mock-server on loopback: one request
 * at a time ({@code sendOne}: the round trip), and 100 at once ({@code sendBatchOf100}, reported per request).
 * Allocation figures of {@code -prof gc} include the mock server's, which runs in the same JVM; aapns-load's
 * {@code alloc=} line against an external server gives the client's alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SendBenchmark {
    private MockApnsServer server;
    private Connection connection;
    private Request request;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = MockApnsServer.builder()
                .recordRequests(false)
                .validateJson(false)
                .start();
        dir = Files.createTempDirectory("aapns-jmh");
        MockClientCertificate issued = server.issueClientCertificate("com.example.app");
        Path p12 = issued.writePkcs12(dir.resolve("client.p12"), "pw".toCharArray());
        ConnectionOptions options = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                        .trustedCertificates(List.of(server.caCertificate()))
                        .build())
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        connection = Connection.connect(server.uri(), options).get(10, TimeUnit.SECONDS);
        request = HeadersBenchmark.buildRequest(java.util.UUID.randomUUID().toString());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connection.close();
        connection.closeFuture().get(5, TimeUnit.SECONDS);
        server.close();
        deleteFolder(dir);
    }

    /** Deletes a flat folder of files made by a benchmark's set-up. */
    static void deleteFolder(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public Response sendOne() {
        return connection.post(request).join();
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public Object sendBatchOf100() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Response>[] futures = new CompletableFuture[100];
        for (int i = 0; i < 100; i++) {
            futures[i] = connection.post(request);
        }
        return CompletableFuture.allOf(futures).join();
    }
}
