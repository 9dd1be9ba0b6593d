package io.aapns.kafka;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.api.SendOptions;
import io.aapns.errors.ApnsException;
import io.aapns.errors.BlockedException;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.AcknowledgingConsumerAwareMessageListener;
import org.springframework.kafka.support.Acknowledgment;

/**
 * The worker's record listener. Each record is parsed and checked on the consumer thread; a bad one goes to the
 * dead-letter topic (Spring Kafka's {@link DeadLetterPublishingRecoverer}, with the error in its headers) and is
 * acknowledged. A good one is held (counted by {@link FlowControl}), waits for the previous record with its key
 * ({@link KeySequencer}) and for a free slot ({@link InFlightGate}), is sent through the client, and once its outcome
 * is written to the results topics it is acknowledged: out of order, which the container (AckMode.MANUAL, asyncAcks)
 * turns into commits of offsets up to which every record has an outcome. A send without an answer is not an outcome
 * until its last attempt: {@link Redelivery} writes it to the retry topic (read by this listener too, held until its
 * back-off has passed) and the original is acknowledged once Kafka has the copy.
 */
final class PushRequestListener implements AcknowledgingConsumerAwareMessageListener<String, String> {

    private static final Logger log = LoggerFactory.getLogger(PushRequestListener.class);

    /** How many times a request refused because the client's queue was full is handed to it again. */
    private static final int MAX_BLOCKED_ATTEMPTS = 20;

    private final NamedClients clients;
    private final PushRequestCodec codec;
    private final Redelivery redelivery;
    private final KafkaOperations<String, String> kafka;
    private final String resultsTopic;
    private final String unregisteredTopic;
    private final String workerId;
    private final KeySequencer sequencer = new KeySequencer();
    private final InFlightGate gate;
    private final FlowControl flow;
    private final PartitionHolds holds = new PartitionHolds();
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final WorkerCounts counts;

    PushRequestListener(
            NamedClients clients,
            PushRequestCodec codec,
            Redelivery redelivery,
            KafkaOperations<String, String> kafka,
            ApnsKafkaProperties properties,
            String workerId,
            FlowControl flow,
            ScheduledExecutorService scheduler,
            WorkerCounts counts) {
        this.clients = clients;
        this.codec = codec;
        this.redelivery = redelivery;
        this.kafka = kafka;
        this.resultsTopic = blankToNull(properties.resultsTopic());
        this.unregisteredTopic = blankToNull(properties.unregisteredTopic());
        this.workerId = workerId;
        this.gate = new InFlightGate(properties.worker().maxInFlight());
        this.flow = flow;
        this.scheduler = scheduler;
        this.executor = scheduler;
        this.counts = counts;
    }

    @Override
    public void onMessage(ConsumerRecord<String, String> record, Acknowledgment ack, Consumer<?, ?> consumer) {
        PushRequest request;
        Attempt attempt;
        ApnsClient client;
        counts.consumed(record.topic().equals(redelivery.retryTopic()));
        try {
            PushRequest decoded = codec.decode(record.value());
            // The named client's own checks (its default topic); an unknown name is an error of the record.
            NamedClients.Route route = clients.routeOf(decoded);
            request = route.validator().validate(decoded);
            client = route.client();
            attempt = redelivery.attemptOf(record, request);
        } catch (RuntimeException e) {
            // InvalidPushRequestException, or anything else that stops this record from being read: it goes to the
            // dead-letter topic rather than to the container's error handler, so the partition never blocks.
            log.debug(
                    "Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
            redelivery.deadLetter(record, consumer, e);
            counts.deadLetterWritten();
            ack.acknowledge();
            return;
        }
        flow.hold();
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        holds.hold(partition);
        String key = record.key() != null ? record.key() : request.deviceToken();
        Job job = new Job(client, record, request, attempt, ack, key, partition, holds.generation(partition));
        long wait = attempt.notBefore() == null ? 0 : attempt.notBefore().toEpochMilli() - System.currentTimeMillis();
        if (wait > 0) {
            // A retry whose back-off has not passed: held (it counts towards max-in-flight) until it may be sent.
            scheduler.schedule(() -> sequencer.submit(key, () -> gate.submit(job::send)), wait, TimeUnit.MILLISECONDS);
        } else {
            sequencer.submit(key, () -> gate.submit(job::send));
        }
    }

    /**
     * Called on the consumer thread when partitions are revoked, before the container commits: waits up to
     * {@code millis} for the records of those partitions in flight to be acknowledged, so that their offsets are
     * committed before another worker takes the partitions; returns how many were not.
     */
    int awaitRevoked(Collection<TopicPartition> partitions, long millis) throws InterruptedException {
        try {
            return holds.awaitReleased(partitions, millis);
        } finally {
            holds.revoked(partitions);
        }
    }

    int outstanding() {
        return gate.outstanding();
    }

    int highestOutstanding() {
        return gate.highest();
    }

    /** One record on its way: sent, answered, reported, acknowledged, in that order. */
    private final class Job {
        final ApnsClient client;
        final ConsumerRecord<String, String> record;
        final PushRequest request;
        final Attempt attempt;
        final Acknowledgment ack;
        final String key;
        final TopicPartition partition;
        final long generation;
        final UUID apnsId;
        final SendOptions options;
        int handedOver;

        Job(
                ApnsClient client,
                ConsumerRecord<String, String> record,
                PushRequest request,
                Attempt attempt,
                Acknowledgment ack,
                String key,
                TopicPartition partition,
                long generation) {
            this.client = client;
            this.record = record;
            this.partition = partition;
            this.generation = generation;
            this.request = request;
            this.attempt = attempt;
            this.ack = ack;
            this.key = key;
            this.apnsId = attempt.apnsId();
            this.options = withApnsId(request.options(), apnsId);
        }

        void send() {
            handedOver++;
            CompletableFuture<PushResult> sent;
            try {
                sent = client.send(request.deviceToken(), request.notification(), options);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenCompleteAsync(this::answered, executor);
        }

        void answered(PushResult result, Throwable failure) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof BlockedException && handedOver < MAX_BLOCKED_ATTEMPTS) {
                long delay = Math.min(1000L, 10L << Math.min(handedOver, 6));
                scheduler.schedule(this::send, delay, TimeUnit.MILLISECONDS);
                return;
            }
            boolean mayHaveBeenDelivered = cause instanceof ApnsException e && e.possiblyDelivered();
            CompletableFuture<?> done;
            if (result == null && redelivery.retries(attempt)) {
                // No answer: no outcome yet; the record waits in the retry topic for its next attempt.
                counts.retryWritten();
                done = CompletableFuture.runAsync(
                        () -> redelivery.retryLater(record, attempt, mayHaveBeenDelivered, cause), executor);
            } else if (result == null) {
                // The last attempt got no answer: its failure is reported, and the request goes to the dead letters.
                Exception error = cause instanceof Exception e ? e : new IllegalStateException(cause);
                counts.deadLetterWritten();
                done = report(outcome(null, cause, mayHaveBeenDelivered))
                        .thenRunAsync(() -> redelivery.deadLetter(record, null, error), executor);
            } else {
                done = report(outcome(result, null, false));
            }
            done.whenCompleteAsync(
                    (ignored, error) -> {
                        if (error != null) {
                            // Not acknowledged: the offset stays uncommitted and the record is read again by
                            // this group after a restart or rebalance (at least once).
                            log.error(
                                    "Could not write the outcome or retry of {}-{}@{} to Kafka; its offset stays"
                                            + " uncommitted",
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    error);
                        } else {
                            if (!holds.acknowledge(partition, generation, ack::acknowledge)) {
                                log.debug(
                                        "{}-{}@{} had its outcome after its partition was revoked: not"
                                                + " acknowledged, its new owner sends it again",
                                        record.topic(),
                                        record.partition(),
                                        record.offset());
                            }
                        }
                        holds.release(partition);
                        gate.release();
                        sequencer.done(key);
                        flow.release();
                    },
                    executor);
        }

        PushOutcome outcome(PushResult result, Throwable cause, boolean mayHaveBeenDelivered) {
            PushOutcome.Source source = attempt.source();
            if (result != null) {
                return new PushOutcome(
                        record.key(),
                        request.deviceToken(),
                        result.accepted() ? PushOutcome.Kind.ACCEPTED : PushOutcome.Kind.REJECTED,
                        result.status(),
                        result.reasonText().orElse(null),
                        result.apnsId() != null ? result.apnsId() : apnsId.toString(),
                        result.apnsUniqueId().orElse(null),
                        result.timestamp().orElse(null),
                        attempt.number(),
                        attempt.possiblyDelivered(),
                        workerId,
                        source,
                        null);
            }
            return new PushOutcome(
                    record.key(),
                    request.deviceToken(),
                    PushOutcome.Kind.FAILED,
                    null,
                    null,
                    apnsId.toString(),
                    null,
                    null,
                    attempt.number(),
                    attempt.possiblyDelivered() || mayHaveBeenDelivered,
                    workerId,
                    source,
                    String.valueOf(cause));
        }

        CompletableFuture<?> report(PushOutcome outcome) {
            counts.outcome(outcome);
            String value = null;
            CompletableFuture<?> results = CompletableFuture.completedFuture(null);
            if (resultsTopic != null) {
                value = outcome.toJson();
                results = kafka.send(new ProducerRecord<>(resultsTopic, record.key(), value));
            }
            if (unregisteredTopic != null && outcome.unregistered()) {
                String json = value != null ? value : outcome.toJson();
                CompletableFuture<?> gone = kafka.send(new ProducerRecord<>(unregisteredTopic, record.key(), json));
                return CompletableFuture.allOf(results, gone);
            }
            return results;
        }
    }

    private static SendOptions withApnsId(SendOptions o, UUID apnsId) {
        SendOptions.Builder b = SendOptions.builder().apnsId(apnsId);
        o.expiration().ifPresent(b::expiration);
        o.priority().ifPresent(b::priority);
        o.pushType().ifPresent(b::pushType);
        o.topic().ifPresent(b::topic);
        o.collapseId().ifPresent(b::collapseId);
        o.timeout().ifPresent(b::timeout);
        return b.build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
