package io.aapns.sample.kafka;

import io.aapns.kafka.ApnsKafkaProperties;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics the sample uses, created at start-up by Boot's {@link KafkaAdmin} when they do not exist (on the embedded
 * broker, or on a cluster that has not got them yet): those {@code aapns.kafka.*} names, each with
 * {@code sample.topic-partitions} partitions and the cluster's default replication factor.
 */
@Configuration(proxyBeanMethods = false)
class SampleTopics {

    @Bean
    KafkaAdmin.NewTopics topics(ApnsKafkaProperties kafka, @Value("${sample.topic-partitions:6}") int partitions) {
        return new KafkaAdmin.NewTopics(Stream.of(
                        kafka.requestsTopic(),
                        kafka.resultsTopic(),
                        kafka.unregisteredTopic(),
                        kafka.deadLetterTopicOrDefault(),
                        kafka.retryTopic())
                .filter(Objects::nonNull)
                .filter(name -> !name.isBlank())
                .distinct()
                .map(name -> TopicBuilder.name(name).partitions(partitions).build())
                .toArray(NewTopic[]::new));
    }
}
