package io.aapns.kafka;

import io.aapns.api.ApnsClient;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * The worker: a Spring Kafka listener container in the consumer group {@code aapns.kafka.worker.group-id} on the
 * requests topic, which sends each record through the {@link ApnsClient} and reports every outcome (see
 * {@link PushRequestListener} for the path of one record). Offsets are acknowledged out of order (AckMode.MANUAL with
 * {@code asyncAcks}) and committed by the container up to the first record without an outcome.
 *
 * <p>When partitions are revoked (a rebalance), the consumer thread waits up to
 * {@code aapns.kafka.worker.revocation-timeout} for their records in flight to get their outcomes, and the container
 * commits them before the partitions move.
 *
 * <p>Stopping pauses the container, waits up to {@code aapns.kafka.worker.shutdown-timeout} for the records held to get
 * their outcomes (so that their offsets are committed), then stops the container.
 */
public final class ApnsKafkaWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApnsKafkaWorker.class);

    private final ConcurrentMessageListenerContainer<String, String> container;
    private final PushRequestListener listener;
    private final FlowControl flow;
    private final WorkerCounts counts = new WorkerCounts();
    private final ConsumerFactory<String, String> consumerFactory;
    private final int maxInFlight;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService valveThread;
    private final String workerId;
    private final long shutdownMillis;
    private volatile boolean running;

    /**
     * Creates a worker reading {@code properties.requestsTopic()} with the clients' consumer settings, sending through
     * {@code client}; a request that names a client goes to the dead-letter topic.
     */
    public ApnsKafkaWorker(
            ApnsClient client, ApnsKafkaClients kafka, PushRequestCodec codec, ApnsKafkaProperties properties) {
        this(client, null, kafka, codec, properties);
    }

    /**
     * Creates a worker that sends a request naming a client {@code <name>} through the bean {@code <name>ApnsClient} of
     * {@code beans}, and any other through {@code client}; a request naming a client that is not a bean goes to the
     * dead-letter topic, with the missing bean's name in its error.
     */
    public ApnsKafkaWorker(
            ApnsClient client,
            BeanFactory beans,
            ApnsKafkaClients kafka,
            PushRequestCodec codec,
            ApnsKafkaProperties properties) {
        ApnsKafkaProperties.Worker settings = properties.worker();
        if (properties.requestsTopic() == null || properties.requestsTopic().isBlank()) {
            throw new IllegalStateException("aapns.kafka.worker.enabled is true but aapns.kafka.requests-topic is"
                    + " not set: set it to the topic the publishers write to");
        }
        this.workerId = settings.id() != null && !settings.id().isBlank() ? settings.id() : defaultId();
        this.shutdownMillis = settings.shutdownTimeout().toMillis();
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("aapns-kafka-worker"));
        this.valveThread = Executors.newSingleThreadExecutor(daemon("aapns-kafka-flow"));

        Redelivery redelivery = new Redelivery(kafka.template(), properties, Clock.systemUTC());
        this.flow = new FlowControl(
                settings.maxInFlight(),
                settings.lowWaterMarkOrDefault(),
                new FlowControl.Valve() {
                    @Override
                    public void pause() {
                        container.pause();
                    }

                    @Override
                    public void resume() {
                        container.resume();
                    }
                },
                valveThread);
        this.listener = new PushRequestListener(
                new NamedClients(client, beans),
                codec,
                redelivery,
                kafka.template(),
                properties,
                workerId,
                flow,
                scheduler,
                counts);

        ContainerProperties containerProperties = redelivery.retryTopic() != null
                ? new ContainerProperties(properties.requestsTopic(), redelivery.retryTopic())
                : new ContainerProperties(properties.requestsTopic());
        containerProperties.setGroupId(settings.groupId());
        containerProperties.setClientId("aapns-worker-" + workerId);
        containerProperties.setAckMode(ContainerProperties.AckMode.MANUAL);
        containerProperties.setAsyncAcks(true);
        containerProperties.setMessageListener(listener);
        long revocationMillis = settings.revocationTimeout().toMillis();
        containerProperties.setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(
                    Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                try {
                    int left = listener.awaitRevoked(partitions, revocationMillis);
                    if (left > 0) {
                        log.warn(
                                "{} records of revoked partitions {} had no outcome after {} ms: the partitions'"
                                        + " new owner sends them again (with the same apns-id)",
                                left,
                                partitions,
                                revocationMillis);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        this.maxInFlight = settings.maxInFlight();
        this.consumerFactory = kafka.consumerFactory(recordsPerPoll(settings.maxInFlight(), settings.concurrency()));
        this.container = new ConcurrentMessageListenerContainer<>(consumerFactory, containerProperties);
        container.setConcurrency(settings.concurrency());
        container.setBeanName("apnsKafkaWorkerContainer");
        container.setAutoStartup(false);
        container.setCommonErrorHandler(new DefaultErrorHandler(redelivery.recoverer()));
    }

    /**
     * Returns the default {@code max.poll.records}: {@code maxInFlight} shared between the consumer threads, rounded
     * up. With {@code asyncAcks} a consumer polls again only once every record of its last poll has an outcome, so the
     * notifications one consumer has in flight are at most one poll's records: smaller polls would leave
     * {@code max-in-flight} out of reach (measured in docs/kafka.md, Performance).
     */
    static int recordsPerPoll(int maxInFlight, int concurrency) {
        return Math.max(1, (maxInFlight + concurrency - 1) / concurrency);
    }

    @Override
    public void start() {
        container.start();
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        container.pause();
        try {
            if (!flow.awaitIdle(shutdownMillis)) {
                log.warn(
                        "Stopping the Kafka worker with {} records without an outcome after {} ms: their offsets"
                                + " stay uncommitted and the group reads them again",
                        flow.held(),
                        shutdownMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        container.stop();
        scheduler.shutdown();
        valveThread.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the client it sends through is closed. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** Returns this worker's id, as written in outcomes. */
    public String workerId() {
        return workerId;
    }

    /** Returns the listener container (its state, assigned partitions, metrics). */
    public ConcurrentMessageListenerContainer<String, String> container() {
        return container;
    }

    /** Returns the number of records taken from Kafka and without an outcome yet. */
    public int held() {
        return flow.held();
    }

    /** Returns the number of notifications sent and not yet answered. */
    public int inFlight() {
        return listener.outstanding();
    }

    /** Returns the most notifications that were in flight at once. */
    public int highestInFlight() {
        return listener.highestOutstanding();
    }

    /** Returns how many times the container was paused because {@code max-in-flight} records were held. */
    public long pauses() {
        return flow.pauses();
    }

    /** Returns how many times the container was resumed at the low-water mark. */
    public long resumes() {
        return flow.resumes();
    }

    /** Returns {@code aapns.kafka.worker.max-in-flight}: the most records this worker holds at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    /** Returns how many records this worker has taken from the requests topic. */
    public long consumedRequests() {
        return counts.consumedRequests();
    }

    /** Returns how many records this worker has taken from the retry topic. */
    public long consumedRetries() {
        return counts.consumedRetries();
    }

    /** Returns how many outcomes of {@code kind} this worker has reported. */
    public long outcomes(PushOutcome.Kind kind) {
        return counts.outcomes(kind);
    }

    /** Returns how many 410 Unregistered rejections this worker has reported (counted among the rejections too). */
    public long unregistered() {
        return counts.unregistered();
    }

    /** Returns how many requests without an answer this worker wrote to the retry topic for a later attempt. */
    public long retried() {
        return counts.retried();
    }

    /**
     * Returns how many records this worker sent to the dead-letter topic: records that could not be parsed, validated
     * or routed, and requests whose last attempt got no answer.
     */
    public long deadLettered() {
        return counts.deadLettered();
    }

    /**
     * Adds a listener told of each Kafka consumer the container creates and closes, such as Spring Kafka's
     * {@code MicrometerConsumerListener}, which binds the consumer's own metrics (commit latency, lag per partition).
     * Takes effect for consumers created after the call: call it before the worker starts.
     */
    public void addConsumerListener(ConsumerFactory.Listener<String, String> listener) {
        consumerFactory.addListener(listener);
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
