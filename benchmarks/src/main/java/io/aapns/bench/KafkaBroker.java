package io.aapns.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka broker of {@code aapns-load --kafka} when no {@code --bootstrap-servers} is given: a one-node KRaft cluster
 * (spring-kafka-test's {@link EmbeddedKafkaKraftBroker}) in a JVM of its own, so that the CPU time aapns-load reports
 * is the worker's, not the broker's. {@link #start} runs it as a child process; {@link #main} is the child, which
 * prints {@code bootstrap=HOST:PORT} and stops when its standard input closes (its parent ended).
 */
final class KafkaBroker implements AutoCloseable {

    /** How long the child may take to print its address. */
    private static final long START_SECONDS = 120;

    /** How long the child may take to stop once told to. */
    private static final long STOP_SECONDS = 30;

    private final Process process;
    private final String bootstrapServers;
    private final Path log;

    private KafkaBroker(Process process, String bootstrapServers, Path log) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.log = log;
    }

    /**
     * Starts a broker in a child JVM with this JVM's java and class path, and waits for its address. Its log goes to a
     * temporary file, deleted when the broker is closed and kept (its path in the exception) when it fails to start.
     */
    static KafkaBroker start() throws IOException, InterruptedException {
        Path log = Files.createTempFile("aapns-load-kafka-broker", ".log");
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), "-Xmx1g", KafkaBroker.class.getName()));
        Process process = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<String> address = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    // Reads the address, then whatever else the child prints, so that it never blocks on a full pipe.
                    try {
                        for (String line; (line = out.readLine()) != null; ) {
                            if (line.startsWith("bootstrap=")) {
                                address.complete(line.substring("bootstrap=".length()));
                            }
                        }
                    } catch (IOException e) {
                        // the child ended: reported below if it had not started
                    }
                    address.complete(null);
                },
                "aapns-load-broker-output");
        reader.setDaemon(true);
        reader.start();
        String bootstrap;
        try {
            bootstrap = address.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            bootstrap = null;
        }
        if (bootstrap == null) {
            process.destroyForcibly();
            throw new IOException("the Kafka broker did not start within " + START_SECONDS + " s; its log: " + log);
        }
        return new KafkaBroker(process, bootstrap, log);
    }

    /** The broker's address, for {@code bootstrap.servers}. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(log);
    }

    /** The child: runs a broker until standard input closes. */
    public static void main(String[] args) throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerListProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        broker.afterPropertiesSet();
        System.out.println("bootstrap=" + broker.getBrokersAsString());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // wait for the parent to go
            }
        } finally {
            broker.destroy();
            System.exit(0);
        }
    }
}
