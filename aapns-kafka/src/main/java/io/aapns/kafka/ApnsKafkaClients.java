package io.aapns.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The Kafka producer and consumer settings aapns uses, from Spring Boot's {@code spring.kafka.*} with string keys and
 * JSON string values. Its own template and factories, not beans, so that an application's own {@code KafkaTemplate}
 * stays the only one of its type. Closes its producer when destroyed.
 */
public final class ApnsKafkaClients implements DisposableBean {

    private final Map<String, Object> consumerProperties;
    private final DefaultKafkaProducerFactory<String, String> producerFactory;
    private final KafkaTemplate<String, String> template;

    /** Creates the clients from Boot's producer and consumer properties ({@code KafkaProperties.build...}). */
    public ApnsKafkaClients(Map<String, Object> producerProperties, Map<String, Object> consumerProperties) {
        Map<String, Object> producer = new HashMap<>(producerProperties);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        this.producerFactory = new DefaultKafkaProducerFactory<>(producer);
        this.template = new KafkaTemplate<>(producerFactory);
        this.consumerProperties = Map.copyOf(consumerProperties);
    }

    /** Returns the template that writes requests, outcomes and dead letters. */
    public KafkaTemplate<String, String> template() {
        return template;
    }

    /**
     * Returns a consumer factory for the worker: string keys and values (a value that is not a request is the
     * listener's to report, not the deserializer's), no auto-commit (the container commits), and, unless
     * {@code spring.kafka.consumer.*} says otherwise, reading a new group from the earliest offset and at most
     * {@code maxPollRecords} records per poll.
     */
    public ConsumerFactory<String, String> consumerFactory(int maxPollRecords) {
        Map<String, Object> consumer = new HashMap<>(consumerProperties);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return new DefaultKafkaConsumerFactory<>(consumer);
    }

    @Override
    public void destroy() {
        producerFactory.destroy();
    }
}
