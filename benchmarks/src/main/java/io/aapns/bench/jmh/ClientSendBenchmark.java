package io.aapns.bench.jmh;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.PushResult;
import io.aapns.api.SendOptions;
import io.aapns.auth.ClientCertificate;
import io.aapns.bench.LoadMain;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The whole send path of the high-level client, {@code ApnsClient.send} to the {@code PushResult} (validation, headers,
 * pool, connection, HTTP/2, TLS, reading the answer), with the server in another process: an aapns-mock-server started
 * from this jar's class path on a loopback port. So {@code -prof gc}'s {@code gc.alloc.rate.norm} is the client's
 * allocation per notification and nothing else's; the payload sits in a pooled direct buffer, off the heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientSendBenchmark {
    private static final Pattern LISTENING = Pattern.compile("mock APNs server listening on (\\S+)");
    private static final Pattern CA = Pattern.compile("CA certificate: (\\S+)");
    private static final Pattern CLIENT = Pattern.compile("client certificate for \\S+: (\\S+) \\(password (\\S+)\\)");

    private Process server;
    private Path dir;
    private ApnsClient client;
    private final Notification notification =
            Notification.ofJson(LoadMain.defaultPayload().getBytes(StandardCharsets.UTF_8));
    private final SendOptions options =
            SendOptions.builder().pushType(PushType.ALERT).build();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("aapns-jmh-server");
        server = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.aapns.mock.Main",
                        "--port",
                        "0",
                        "--client-topic",
                        "com.example.app",
                        "--out",
                        dir.toString(),
                        "--no-record")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        URI url = null;
        Path ca = null;
        Path p12 = null;
        String password = null;
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (p12 == null) && (line = lines.readLine()) != null; ) {
            Matcher m;
            if ((m = LISTENING.matcher(line)).find()) {
                url = URI.create(m.group(1));
            } else if ((m = CA.matcher(line)).find()) {
                ca = Path.of(m.group(1));
            } else if ((m = CLIENT.matcher(line)).find()) {
                p12 = Path.of(m.group(1).replaceAll(",$", ""));
                password = m.group(2);
            }
        }
        if (url == null || ca == null || p12 == null) {
            throw new IOException("the mock server did not start: url " + url + ", CA " + ca + ", client " + p12);
        }
        // keep reading its output so that it never blocks on a full pipe
        Thread drain = new Thread(() -> lines.lines().forEach(l -> {}), "mock-server-output");
        drain.setDaemon(true);
        drain.start();
        client = ApnsClient.builder()
                .server(ApnsServer.of(url))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, password.toCharArray()))
                .trustedCertificates(ca)
                .topic("com.example.app")
                .poolSize(1)
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.ready().get(30, TimeUnit.SECONDS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        client.close();
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
        SendBenchmark.deleteFolder(dir);
    }

    /** 100 notifications in flight at once, reported per notification. */
    @Benchmark
    @OperationsPerInvocation(100)
    public Object sendBatchOf100() {
        @SuppressWarnings("unchecked")
        CompletableFuture<PushResult>[] futures = new CompletableFuture[100];
        for (int i = 0; i < 100; i++) {
            futures[i] = client.send(HeadersBenchmark.TOKEN, notification, options);
        }
        return CompletableFuture.allOf(futures).join();
    }
}
