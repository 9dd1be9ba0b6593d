package io.aapns.kafka;

import io.aapns.api.ApnsClient;
import io.aapns.spring.boot.autoconfigure.ApnsAutoConfiguration;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Auto-configures push fan-out on Kafka when spring-kafka is on the classpath: an {@link ApnsKafkaPublisher} when
 * {@code aapns.kafka.requests-topic} is set, and an {@link ApnsKafkaWorker} when {@code aapns.kafka.worker.enabled} is
 * true and there is an {@link ApnsClient} to send through. Kafka connects with Spring Boot's {@code spring.kafka.*}.
 */
@AutoConfiguration(after = {ApnsAutoConfiguration.class, KafkaAutoConfiguration.class})
@ConditionalOnClass({KafkaTemplate.class, KafkaProperties.class})
@EnableConfigurationProperties({ApnsKafkaProperties.class, KafkaProperties.class})
public class ApnsKafkaAutoConfiguration {

    /** The record format of push requests. */
    @Bean
    @ConditionalOnMissingBean
    PushRequestCodec pushRequestCodec() {
        return new PushRequestCodec();
    }

    /** The producer and consumer settings aapns uses, from {@code spring.kafka.*}. */
    @Bean
    @ConditionalOnMissingBean
    ApnsKafkaClients apnsKafkaClients(KafkaProperties kafka) {
        return new ApnsKafkaClients(kafka.buildProducerProperties(), kafka.buildConsumerProperties());
    }

    /**
     * The publisher; it checks the topic against the application's {@link ApnsClient}'s default when there is one, and
     * leaves a missing topic to the worker's client when there is none.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "aapns.kafka", name = "requests-topic")
    ApnsKafkaPublisher apnsKafkaPublisher(
            ApnsKafkaClients clients,
            PushRequestCodec codec,
            ApnsKafkaProperties properties,
            ObjectProvider<ApnsClient> client) {
        ApnsClient local = client.getIfUnique();
        String defaultTopic = local != null ? local.topic().orElse(null) : null;
        return new ApnsKafkaPublisher(
                clients.template(), properties.requestsTopic(), codec, new PushRequestValidator(defaultTopic, false));
    }

    /**
     * The worker, with its listener container; a request naming a client {@code <name>} is sent through the bean
     * {@code <name>ApnsClient}, any other through the application's only or primary {@code ApnsClient}.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "aapns.kafka.worker", name = "enabled", havingValue = "true")
    @ConditionalOnBean(ApnsClient.class)
    ApnsKafkaWorker apnsKafkaWorker(
            ObjectProvider<ApnsClient> client,
            BeanFactory beans,
            ApnsKafkaClients clients,
            PushRequestCodec codec,
            ApnsKafkaProperties properties) {
        // With several clients and none primary there is no default: each request must name its client.
        return new ApnsKafkaWorker(client.getIfUnique(), beans, clients, codec, properties);
    }
}
