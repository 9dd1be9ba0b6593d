package io.aapns.kafka;

import io.aapns.api.SendOptions;
import io.aapns.model.Notification;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.kafka.core.KafkaOperations;

/**
 * Writes push requests to the requests topic ({@code aapns.kafka.requests-topic}) for the workers to send. Each request
 * is checked first as {@code ApnsClient.send} checks it, so a bad token or an oversized payload throws
 * {@link InvalidPushRequestException} (an {@link IllegalArgumentException}) at once and never reaches the topic. The
 * record's key is the normalized device token: one device's requests stay in order on one partition.
 *
 * <p>Thread-safe; one per application (the auto-configured bean).
 */
public final class ApnsKafkaPublisher {

    private final KafkaOperations<String, String> kafka;
    private final String topic;
    private final PushRequestCodec codec;
    private final PushRequestValidator validator;

    /** Creates a publisher that writes to {@code topic} through {@code kafka}. */
    public ApnsKafkaPublisher(
            KafkaOperations<String, String> kafka,
            String topic,
            PushRequestCodec codec,
            PushRequestValidator validator) {
        this.kafka = Objects.requireNonNull(kafka, "kafka");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** Publishes {@code notification} to {@code deviceToken} with the worker client's defaults. */
    public CompletableFuture<RecordMetadata> publish(String deviceToken, Notification notification) {
        return publish(deviceToken, notification, SendOptions.defaults());
    }

    /** Publishes {@code notification} to {@code deviceToken} with {@code options}. */
    public CompletableFuture<RecordMetadata> publish(
            String deviceToken, Notification notification, SendOptions options) {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(options, "options");
        return publish(
                PushRequest.builder(deviceToken, notification).options(options).build());
    }

    /**
     * Publishes a request (with, for example, an idempotency key). The future completes with the record's metadata once
     * Kafka has it (as the producer's {@code acks} say), or fails with Kafka's error.
     *
     * @throws InvalidPushRequestException if the request fails the client's checks; nothing is written then
     */
    public CompletableFuture<RecordMetadata> publish(PushRequest request) {
        PushRequest valid = validator.validate(Objects.requireNonNull(request, "request"));
        String value = codec.encode(valid);
        return kafka.send(new ProducerRecord<>(topic, valid.deviceToken(), value))
                .thenApply(result -> result.getRecordMetadata());
    }

    /** Returns the topic this publisher writes to. */
    public String topic() {
        return topic;
    }
}
