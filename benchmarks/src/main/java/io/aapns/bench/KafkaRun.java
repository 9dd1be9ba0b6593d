package io.aapns.bench;

import io.aapns.kafka.ApnsKafkaClients;
import io.aapns.kafka.ApnsKafkaProperties;
import io.aapns.kafka.ApnsKafkaPublisher;
import io.aapns.kafka.ApnsKafkaWorker;
import io.aapns.kafka.PushOutcome;
import io.aapns.kafka.PushRequestCodec;
import io.aapns.kafka.PushRequestValidator;
import io.aapns.model.Notification;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code aapns-load --kafka}: the Kafka worker's figures. Publishes {@code --warmup + --count} push requests (distinct
 * device tokens, so that per-key order never serialises them) to a new requests topic of {@code --partitions}
 * partitions, then starts one {@link ApnsKafkaWorker} sending through the aapns client, with {@code --concurrency} as
 * its max-in-flight and {@code --consumers} consumer threads, writing every outcome to a results topic unless
 * {@code --no-results}. Measured: from the warm-up's last outcome to the last outcome, the throughput and this JVM's
 * CPU time and allocation per notification. The broker runs in a child JVM ({@link KafkaBroker}) unless
 * {@code --bootstrap-servers} names one, so the CPU is the worker's (and, with {@code --embedded}, the mock server's).
 */
final class KafkaRun {

    /** How often the outcome counters are read. */
    private static final long POLL_MILLIS = 2;

    private KafkaRun() {}

    static int run(AapnsDriver driver, LoadOptions o, byte[] payload, PrintStream out, PrintStream err)
            throws Exception {
        KafkaBroker broker = null;
        try {
            String servers = o.bootstrapServers;
            if (servers == null) {
                broker = KafkaBroker.start();
                servers = broker.bootstrapServers();
                out.println("Kafka broker (KRaft, one node) in a child JVM at " + servers);
            }
            return run(driver, o, payload, servers, out, err);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static int run(
            AapnsDriver driver, LoadOptions o, byte[] payload, String servers, PrintStream out, PrintStream err)
            throws Exception {
        String run = "aapns-load-" + UUID.randomUUID().toString().substring(0, 8);
        String requests = run + "-requests";
        String results = o.kafkaResults ? run + "-results" : null;
        Map<String, Object> common = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(common)) {
            List<NewTopic> topics = new ArrayList<>();
            topics.add(new NewTopic(requests, o.partitions, (short) 1));
            topics.add(new NewTopic(requests + "-dlt", 1, (short) 1));
            if (results != null) {
                topics.add(new NewTopic(results, o.partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> producer = new java.util.HashMap<>(common);
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<String, Object> consumer = new java.util.HashMap<>(common);
        if (o.maxPollRecords > 0) {
            consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, o.maxPollRecords);
        }
        ApnsKafkaClients kafka = new ApnsKafkaClients(producer, consumer);
        try {
            int total = o.warmup + o.count;
            long published = publish(kafka, requests, o, payload, total);
            out.println(String.format(
                    Locale.ROOT,
                    "published %d requests to %s (%d partitions) in %.2f s",
                    total,
                    requests,
                    o.partitions,
                    published / 1e9));
            ApnsKafkaProperties properties = new ApnsKafkaProperties(
                    requests,
                    results,
                    null,
                    null,
                    null,
                    new ApnsKafkaProperties.Worker(
                            true,
                            run,
                            "aapns-load",
                            o.consumers,
                            o.concurrency,
                            null,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(15)),
                    ApnsKafkaProperties.Retry.defaults());
            ApnsKafkaWorker worker = new ApnsKafkaWorker(driver.client(), kafka, new PushRequestCodec(), properties);
            worker.start();
            try {
                return measure(worker, o, total, out, err);
            } finally {
                worker.stop();
            }
        } finally {
            kafka.destroy();
        }
    }

    /** Publishes {@code total} requests with distinct tokens; returns the nanoseconds it took. */
    private static long publish(ApnsKafkaClients kafka, String topic, LoadOptions o, byte[] payload, int total)
            throws Exception {
        ApnsKafkaPublisher publisher = new ApnsKafkaPublisher(
                kafka.template(), topic, new PushRequestCodec(), new PushRequestValidator(o.topic, false));
        Notification notification = Notification.ofJson(payload);
        HexFormat hex = HexFormat.of();
        byte[] token = new byte[32];
        long t0 = System.nanoTime();
        CompletableFuture<?>[] window = new CompletableFuture<?>[10_000];
        for (int i = 0; i < total; i++) {
            java.nio.ByteBuffer.wrap(token).putLong(24, i).putLong(0, 0x5b1a0c0e7f3d4c2bL ^ i);
            int slot = i % window.length;
            if (window[slot] != null) {
                window[slot].get(60, TimeUnit.SECONDS);
            }
            window[slot] = publisher.publish(hex.formatHex(token), notification);
        }
        for (CompletableFuture<?> f : window) {
            if (f != null) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        return System.nanoTime() - t0;
    }

    private static int measure(ApnsKafkaWorker worker, LoadOptions o, int total, PrintStream out, PrintStream err)
            throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long stallNanos = TimeUnit.SECONDS.toNanos(Long.getLong("aapns.load.stallSeconds", 60));
        long periodNanos = Math.max(1, Math.round(o.progressSeconds * 1e9));
        long cpu0 = 0;
        long t0 = 0;
        Map<Long, Long> alloc0 = null;
        long[] base = new long[3];
        long done = 0;
        long lastDone = -1;
        long lastChange = System.nanoTime();
        long nextProgress = lastChange + periodNanos;
        MeasureProfiler profiler = MeasureProfiler.fromSystemProperties(err);
        boolean measuring = o.warmup == 0;
        if (measuring) {
            profiler.start();
            alloc0 = LoadMain.allocatedBytes();
            cpu0 = os.getProcessCpuTime();
            t0 = System.nanoTime();
        }
        while (done < total) {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            done = outcomes(worker);
            long now = System.nanoTime();
            if (!measuring && done >= o.warmup) {
                base = kinds(worker);
                profiler.start();
                alloc0 = LoadMain.allocatedBytes();
                cpu0 = os.getProcessCpuTime();
                t0 = now;
                measuring = true;
            }
            if (done != lastDone) {
                lastDone = done;
                lastChange = now;
            } else if (now - lastChange > stallNanos) {
                err.println("aapns-load: " + (total - done) + " request(s) got no outcome within "
                        + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s of the last one");
                return 1;
            }
            if (now - nextProgress >= 0) {
                nextProgress = now + periodNanos;
                out.println(String.format(
                        Locale.ROOT,
                        "kafka: %d/%d outcomes, %d in flight, %d held, %d pauses",
                        done,
                        total,
                        worker.inFlight(),
                        worker.held(),
                        worker.pauses()));
            }
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long allocated = LoadMain.allocatedSince(alloc0);
        profiler.stop();
        long[] end = kinds(worker);
        long accepted = end[0] - base[0];
        long rejected = end[1] - base[1];
        long failed = end[2] - base[2];
        long measured = accepted + rejected + failed;
        double seconds = elapsed / 1e9;
        out.println(String.format(
                Locale.ROOT,
                "heap allocated: %d bytes/notification (all threads of this JVM%s)",
                allocated / measured,
                o.embedded ? ", the embedded server's included" : ""));
        out.println(String.format(
                Locale.ROOT,
                "kafka: throughput=%d/s accepted=%d rejected=%d failed=%d dead-lettered=%d pauses=%d seconds=%.2f"
                        + " cpu=%.2f/notification",
                Math.round(measured / seconds),
                accepted,
                rejected,
                failed,
                worker.deadLettered(),
                worker.pauses(),
                seconds,
                cpu / 1000.0 / measured));
        out.flush();
        return end[2] > 0 || worker.deadLettered() > 0 || end[0] + end[1] != total ? 1 : 0;
    }

    /** The worker's outcomes so far: accepted, rejected, failed. */
    private static long[] kinds(ApnsKafkaWorker worker) {
        return new long[] {
            worker.outcomes(PushOutcome.Kind.ACCEPTED),
            worker.outcomes(PushOutcome.Kind.REJECTED),
            worker.outcomes(PushOutcome.Kind.FAILED)
        };
    }

    private static long outcomes(ApnsKafkaWorker worker) {
        long[] kinds = kinds(worker);
        return kinds[0] + kinds[1] + kinds[2];
    }
}
