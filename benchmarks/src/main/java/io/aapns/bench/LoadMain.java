package io.aapns.bench;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code aapns-load}: sends notifications as fast as a bound on those in flight allows, through aapns or Pushy, and
 * prints throughput, latency percentiles and CPU time per notification. See {@link LoadOptions#USAGE} and
 * docs/PERFORMANCE.md.
 */
public final class LoadMain {

    /** Gives up on a run when no notification completes for this long (a stalled server). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("aapns.load.stallSeconds", 60));

    private LoadMain() {}

    /** The payload aapns-load sends unless given {@code --payload}: a typical alert of about 120 bytes. */
    public static String defaultPayload() {
        return LoadOptions.DEFAULT_PAYLOAD;
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the tool; returns the exit status (0 ok, 1 failures, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (LoadOptions.UsageException e) {
            if (e.getMessage() != null) {
                err.println("aapns-load: " + e.getMessage());
                err.println();
            }
            err.println(LoadOptions.USAGE);
            return 2;
        }
        try {
            return new LoadMain().run(o, out, err);
        } catch (SetupException e) {
            err.println("aapns-load: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("aapns-load: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** A setup problem the user can fix (a file that cannot be read, ...). */
    static final class SetupException extends Exception {
        SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private int run(LoadOptions o, PrintStream out, PrintStream err) throws Exception {
        byte[] payload;
        if (o.payload != null) {
            try {
                payload = Files.readAllBytes(o.payload);
            } catch (java.io.IOException e) {
                throw new SetupException("cannot read --payload " + o.payload + ": " + e.getMessage(), e);
            }
        } else {
            payload = LoadOptions.DEFAULT_PAYLOAD.getBytes(StandardCharsets.UTF_8);
        }

        MockApnsServer server = null;
        Path tempDir = null;
        Driver driver = null;
        try {
            java.net.URI url = o.url;
            Path cert = o.cert;
            String password = o.password;
            Path trust = o.trust;
            List<X509Certificate> trusted = null;
            if (o.embedded) {
                server = MockApnsServer.builder()
                        .recordRequests(false)
                        .validateJson(false)
                        .threads(o.serverThreads)
                        .start();
                url = server.uri();
                tempDir = Files.createTempDirectory("aapns-load");
                MockClientCertificate issued = server.issueClientCertificate(o.topic);
                password = "changeit";
                cert = issued.writePkcs12(tempDir.resolve("client.p12"), password.toCharArray());
                trust = server.caCertificateFile();
                out.println("embedded mock server on " + url + " (" + o.serverThreads + " thread(s), recording off)");
            } else if (o.insecure) {
                trusted = presentedChain(url);
            }
            long buildStart = System.nanoTime();
            driver = newDriver(o, url, cert, password, trust, trusted, payload);
            long built = System.nanoTime();
            out.println("aapns-load: " + driver.describe() + " -> " + url + ", " + o.connections + " connection(s), "
                    + (o.kafka
                            ? "through the Kafka worker (" + o.consumers + " consumer(s), " + o.partitions
                                    + " partitions), "
                            : "")
                    + (o.stall
                            ? "stalled server, " + o.count + " sent at once, at most " + o.maxPending() + " queued"
                            : o.concurrency + " in flight, " + o.warmup + " warm-up + " + o.count + " measured")
                    + ", payload " + payload.length + " bytes");
            driver.awaitReady();
            long ready = System.nanoTime();
            if (!o.stall) {
                firstAnswer(driver, buildStart, built, ready, out);
            }
            if (o.stall) {
                return StallRun.run((AapnsDriver) driver, server, o, out, err);
            }
            if (o.kafka) {
                return KafkaRun.run((AapnsDriver) driver, o, payload, out, err);
            }

            Phase warm = null;
            if (o.warmup > 0) {
                warm = new Phase("warm-up", o.warmup, err);
                warm.run(driver, o, out);
                if (warm.failed.sum() > 0) {
                    err.println("aapns-load: " + warm.failed.sum() + " notification(s) failed during the warm-up: "
                            + warm.firstFailure.get());
                }
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Phase measured = new Phase("measure", o.count, err);
            MeasureProfiler profiler = MeasureProfiler.fromSystemProperties(err);
            profiler.start();
            java.util.Map<Long, Long> alloc0 = allocatedBytes();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            measured.run(driver, o, out);
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long allocated = allocatedSince(alloc0);
            profiler.stop();

            Histogram h = measured.latencies.getIntervalHistogram();
            long accepted = measured.accepted.sum();
            long rejected = measured.rejected.sum();
            long failed = measured.failed.sum();
            if (failed > 0) {
                err.println("aapns-load: " + failed + " notification(s) failed; first: " + measured.firstFailure.get());
            }
            double seconds = elapsed / 1e9;
            out.println(String.format(
                    Locale.ROOT,
                    "heap allocated: %d bytes/notification (all threads of this JVM%s)",
                    allocated / o.count,
                    o.embedded ? ", the embedded server's included" : ""));
            out.println(String.format(
                    Locale.ROOT,
                    "throughput=%d/s accepted=%d rejected=%d failed=%d p50=%.3f p99=%.3f seconds=%.2f cpu=%.2f/notification",
                    Math.round(o.count / seconds),
                    accepted,
                    rejected,
                    failed,
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    seconds,
                    cpu / 1000.0 / o.count));
            out.flush();
            boolean anyFailed = failed > 0 || (warm != null && warm.failed.sum() > 0);
            return anyFailed ? 1 : 0;
        } finally {
            if (driver != null) {
                driver.close();
            }
            if (server != null) {
                server.close();
            }
            if (tempDir != null) {
                try (var files = Files.list(tempDir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(tempDir);
            }
        }
    }

    private static Driver newDriver(
            LoadOptions o,
            java.net.URI url,
            Path cert,
            String password,
            Path trust,
            List<X509Certificate> trusted,
            byte[] payload)
            throws Exception {
        try {
            return switch (o.client) {
                case AAPNS ->
                    new AapnsDriver(
                            url,
                            cert,
                            password,
                            o.p8,
                            o.keyId,
                            o.teamId,
                            trust,
                            trusted,
                            o.topic,
                            o.connections,
                            o.maxPending(),
                            o.token,
                            payload);
                case PUSHY ->
                    new PushyDriver(
                            url,
                            cert,
                            password,
                            o.p8,
                            o.keyId,
                            o.teamId,
                            trust,
                            trusted,
                            o.topic,
                            o.connections,
                            o.token,
                            new String(payload, StandardCharsets.UTF_8));
            };
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException e) {
            throw new SetupException(
                    "cannot set up the " + o.client.name().toLowerCase(Locale.ROOT) + " client: " + e.getMessage(), e);
        }
    }

    /**
     * Cold start: sends one notification before anything else and prints how long after the client's build began it was
     * built, ready (aapns: {@code ready()}; Pushy connects on first use) and had its first answer. In a fresh JVM
     * against a server in another process, the times include loading and initialising the client's classes.
     */
    private static void firstAnswer(Driver driver, long buildStart, long built, long ready, PrintStream out)
            throws Exception {
        java.util.concurrent.CompletableFuture<Integer> first = new java.util.concurrent.CompletableFuture<>();
        driver.send((outcome, failure) -> first.complete(outcome));
        int outcome = first.get(30, TimeUnit.SECONDS);
        long answered = System.nanoTime();
        out.println(String.format(
                Locale.ROOT,
                "start: built in %.1f ms, ready at %.1f ms, first answer (%s) at %.1f ms",
                (built - buildStart) / 1e6,
                (ready - buildStart) / 1e6,
                outcome == Driver.ACCEPTED ? "accepted" : outcome == Driver.REJECTED ? "rejected" : "failed",
                (answered - buildStart) / 1e6));
    }

    /** Bytes allocated so far by each live thread, by thread id. */
    static java.util.Map<Long, Long> allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        java.util.Map<Long, Long> m = new java.util.HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                m.put(ids[i], bytes[i]);
            }
        }
        return m;
    }

    /** Bytes allocated by live threads since {@code before} (threads that ended meanwhile are missed). */
    static long allocatedSince(java.util.Map<Long, Long> before) {
        long sum = 0;
        for (java.util.Map.Entry<Long, Long> e : allocatedBytes().entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /**
     * For --insecure: the certificate chain the server presents, fetched over a TLS connection that trusts anything,
     * and then trusted as it is (host names are still checked).
     */
    static List<X509Certificate> presentedChain(java.net.URI url) throws SetupException {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustAll}, null);
            try (SSLSocket socket = (SSLSocket)
                    ctx.getSocketFactory().createSocket(url.getHost(), url.getPort() < 0 ? 443 : url.getPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : socket.getSession().getPeerCertificates()) {
                    chain.add((X509Certificate) c);
                }
                return chain;
            }
        } catch (Exception e) {
            throw new SetupException("--insecure: cannot fetch the certificate of " + url + ": " + e, e);
        }
    }

    /** One batch of notifications with its own counters. */
    private static final class Phase {
        final String name;
        final int count;
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Recorder latencies = new Recorder(TimeUnit.SECONDS.toMicros(120), 3);
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

        final PrintStream err;

        Phase(String name, int count, PrintStream err) {
            this.name = name;
            this.count = count;
            this.err = err;
        }

        long done() {
            return accepted.sum() + rejected.sum() + failed.sum();
        }

        void run(Driver driver, LoadOptions o, PrintStream out) throws InterruptedException {
            Semaphore inFlight = new Semaphore(o.concurrency);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aapns-load-progress");
                t.setDaemon(true);
                return t;
            });
            long periodMillis = Math.max(1, Math.round(o.progressSeconds * 1000));
            long start = System.nanoTime();
            long[] last = {0, start};
            progress.scheduleAtFixedRate(
                    () -> {
                        long now = System.nanoTime();
                        long d = done();
                        long rate = Math.round((d - last[0]) / ((now - last[1]) / 1e9));
                        last[0] = d;
                        last[1] = now;
                        out.println(String.format(
                                Locale.ROOT,
                                "%s: %d/%d done, %d/s, %d in flight, %d rejected, %d failed",
                                name,
                                d,
                                count,
                                rate,
                                o.concurrency - inFlight.availablePermits(),
                                rejected.sum(),
                                failed.sum()));
                    },
                    periodMillis,
                    periodMillis,
                    TimeUnit.MILLISECONDS);
            try {
                int sent = 0;
                while (sent < count) {
                    if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                        if (stalled()) {
                            break;
                        }
                        continue;
                    }
                    long t0 = System.nanoTime();
                    sent++;
                    try {
                        driver.send((outcome, failure) -> {
                            latencies.recordValue(
                                    Math.min((System.nanoTime() - t0) / 1000, TimeUnit.SECONDS.toMicros(120)));
                            record(outcome, failure);
                            inFlight.release();
                        });
                    } catch (RuntimeException e) {
                        record(Driver.FAILED, e);
                        inFlight.release();
                    }
                }
                // Wait for the stragglers, or give up if the server stalls.
                while (done() < sent) {
                    if (inFlight.tryAcquire(o.concurrency, 1, TimeUnit.SECONDS)) {
                        inFlight.release(o.concurrency);
                        break;
                    }
                    if (stalled()) {
                        break;
                    }
                }
                long missing = count - done();
                if (missing > 0) {
                    failed.add(missing);
                    firstFailure.compareAndSet(
                            null,
                            new IllegalStateException(missing
                                    + " notification(s) got no outcome within "
                                    + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS)
                                    + " s of the last completion"));
                }
            } finally {
                progress.shutdownNow();
                progress.awaitTermination(5, TimeUnit.SECONDS);
            }
        }

        private long lastDone = -1;
        private long lastChange = System.nanoTime();

        private boolean stalled() {
            long d = done();
            long now = System.nanoTime();
            if (d != lastDone) {
                lastDone = d;
                lastChange = now;
                return false;
            }
            return now - lastChange > STALL_NANOS;
        }

        private void record(int outcome, Throwable failure) {
            switch (outcome) {
                case Driver.ACCEPTED -> accepted.increment();
                case Driver.REJECTED -> rejected.increment();
                default -> {
                    if (firstFailure.compareAndSet(null, failure)) {
                        err.println("aapns-load: first failure: " + failure);
                    }
                    failed.increment();
                }
            }
        }
    }
}
