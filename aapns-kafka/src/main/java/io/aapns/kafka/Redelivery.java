package io.aapns.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

/**
 * Where a record goes when it is not answered or cannot be sent: to the retry topic for a later attempt, or to the
 * dead-letter topic. Both go through one Spring Kafka {@link DeadLetterPublishingRecoverer} whose destination resolver
 * picks the topic: it copies the record (key, value, headers), adds the error headers ({@code kafka_dlt-exception-*},
 * {@code kafka_dlt-original-*}) and waits until Kafka has it. A record forwarded for a retry also carries the next
 * attempt in {@code aapns-*} headers, which {@link #attemptOf} reads back when the worker consumes the retry topic.
 */
final class Redelivery {

    static final String ATTEMPT = "aapns-attempt";
    static final String NOT_BEFORE = "aapns-not-before";
    static final String APNS_ID = "aapns-apns-id";
    static final String SOURCE = "aapns-source";
    static final String POSSIBLY_DELIVERED = "aapns-possibly-delivered";

    private final String retryTopic;
    private final ApnsKafkaProperties.Retry retry;
    private final DeadLetterPublishingRecoverer recoverer;
    private final Clock clock;

    Redelivery(KafkaOperations<String, String> kafka, ApnsKafkaProperties properties, Clock clock) {
        this.retryTopic = blankToNull(properties.retryTopic());
        this.retry = properties.retry();
        this.clock = clock;
        String deadLetterTopic = properties.deadLetterTopicOrDefault();
        if (retry.maxAttempts() < 1) {
            throw new IllegalArgumentException(
                    "aapns.kafka.retry.max-attempts must be at least 1, got " + retry.maxAttempts());
        }
        this.recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, e) -> new TopicPartition(e instanceof RetryLater ? retryTopic : deadLetterTopic, -1));
        recoverer.setHeadersFunction((record, e) -> e instanceof RetryLater later ? later.headers() : null);
    }

    /** Returns the recoverer itself, for the container's error handler (records the listener could not take). */
    DeadLetterPublishingRecoverer recoverer() {
        return recoverer;
    }

    /** Returns the retry topic, or null when there is none. */
    String retryTopic() {
        return retryTopic;
    }

    /**
     * Returns the attempt {@code record} is: the next one named by its headers when it comes from the retry topic, else
     * the first.
     *
     * @throws InvalidPushRequestException if a retry record's headers cannot be read
     */
    Attempt attemptOf(ConsumerRecord<String, String> record, PushRequest request) {
        if (retryTopic == null
                || !retryTopic.equals(record.topic())
                || record.headers().lastHeader(ATTEMPT) == null) {
            return new Attempt(
                    1,
                    ApnsIds.derive(request, record.topic(), record.partition(), record.offset()),
                    new PushOutcome.Source(record.topic(), record.partition(), record.offset()),
                    false,
                    null);
        }
        try {
            String[] source = header(record, SOURCE).split("/");
            return new Attempt(
                    Integer.parseInt(header(record, ATTEMPT)),
                    UUID.fromString(header(record, APNS_ID)),
                    new PushOutcome.Source(source[0], Integer.parseInt(source[1]), Long.parseLong(source[2])),
                    Boolean.parseBoolean(header(record, POSSIBLY_DELIVERED)),
                    Instant.ofEpochMilli(Long.parseLong(header(record, NOT_BEFORE))));
        } catch (RuntimeException e) {
            throw new InvalidPushRequestException("a record of the retry topic without readable aapns-* headers: " + e);
        }
    }

    /** Returns whether a request whose attempt {@code attempt} failed without an answer gets another attempt. */
    boolean retries(Attempt attempt) {
        return retryTopic != null && attempt.number() < retry.maxAttempts();
    }

    /**
     * Writes {@code record} to the retry topic for the attempt after {@code failed}, after the back-off; returns once
     * Kafka has it. Blocks: not for the consumer thread.
     */
    void retryLater(
            ConsumerRecord<String, String> record, Attempt failed, boolean mayHaveBeenDelivered, Throwable cause) {
        int number = failed.number() + 1;
        Attempt next = failed.next(mayHaveBeenDelivered, clock.instant().plus(retry.delayBefore(number)));
        recoverer.accept(record, null, new RetryLater(next, cause));
    }

    /**
     * Writes {@code record} to the dead-letter topic with {@code error} in its headers; returns once Kafka has it.
     * {@code consumer} is the record's consumer on its own thread, or null from any other thread.
     */
    void deadLetter(ConsumerRecord<String, String> record, Consumer<?, ?> consumer, Exception error) {
        recoverer.accept(record, consumer, error);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null) {
            throw new IllegalArgumentException("no " + name + " header");
        }
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A failure without an answer that gets another attempt: the recoverer sends it to the retry topic. */
    static final class RetryLater extends RuntimeException {
        private final transient Attempt next;

        RetryLater(Attempt next, Throwable cause) {
            super(
                    "attempt " + (next.number() - 1) + " got no answer (" + cause + "); attempt " + next.number()
                            + " not before " + next.notBefore(),
                    cause,
                    false,
                    false);
            this.next = next;
        }

        Headers headers() {
            RecordHeaders headers = new RecordHeaders();
            add(headers, ATTEMPT, Integer.toString(next.number()));
            add(headers, NOT_BEFORE, Long.toString(next.notBefore().toEpochMilli()));
            add(headers, APNS_ID, next.apnsId().toString());
            PushOutcome.Source s = next.source();
            add(headers, SOURCE, s.topic() + "/" + s.partition() + "/" + s.offset());
            add(headers, POSSIBLY_DELIVERED, Boolean.toString(next.possiblyDelivered()));
            return headers;
        }

        private static void add(Headers headers, String name, String value) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
