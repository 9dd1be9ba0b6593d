package io.aapns.sample.kafka;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Push fan-out on Kafka in one application: {@code POST /pushes} and {@code POST /campaigns} publish push requests with
 * aapns-kafka's {@code ApnsKafkaPublisher}, the aapns-kafka worker in the same application sends them through the
 * {@code ApnsClient}, and {@code GET /campaigns/results} counts the outcomes it wrote. Unless configured otherwise it
 * runs on an embedded Kafka broker ({@link EmbeddedKafka}) and sends to an embedded mock APNs server
 * ({@link SampleMockApns}).
 */
@SpringBootApplication
public class KafkaSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(KafkaSampleApplication.class, args);
    }
}
