/**
 * Push fan-out on Kafka: {@link io.aapns.kafka.ApnsKafkaPublisher} writes push requests to a topic, the worker sends
 * them through {@code ApnsClient} and reports every outcome; {@link io.aapns.kafka.PushRequestCodec} is the record
 * format.
 */
package io.aapns.kafka;
