package io.aapns.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.spring.boot.autoconfigure.ApnsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Which beans appear for which properties; no broker is needed (nothing connects before start). */
class ApnsKafkaAutoConfigurationTests {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    ApnsAutoConfiguration.class, KafkaAutoConfiguration.class, ApnsKafkaAutoConfiguration.class))
            .withPropertyValues("aapns.enabled=false", "spring.kafka.bootstrap-servers=127.0.0.1:9");

    @Test
    void withoutARequestsTopicThereIsNoPublisherAndNoWorker() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ApnsKafkaPublisher.class);
            assertThat(context).doesNotHaveBean(ApnsKafkaWorker.class);
            assertThat(context).hasSingleBean(PushRequestCodec.class);
        });
    }

    @Test
    void aRequestsTopicMakesThePublisherWithoutAClientOrWorker() {
        runner.withPropertyValues("aapns.kafka.requests-topic=requests").run(context -> {
            assertThat(context).hasSingleBean(ApnsKafkaPublisher.class);
            assertThat(context.getBean(ApnsKafkaPublisher.class).topic()).isEqualTo("requests");
            assertThat(context).doesNotHaveBean(ApnsKafkaWorker.class);
        });
    }

    @Test
    void theWorkerNeedsAClientToSendThrough() {
        runner.withPropertyValues("aapns.kafka.requests-topic=requests", "aapns.kafka.worker.enabled=true")
                .run(context -> assertThat(context).doesNotHaveBean(ApnsKafkaWorker.class));
    }

    @Test
    void theDefaultsOfTheProperties() {
        runner.withPropertyValues("aapns.kafka.requests-topic=requests").run(context -> {
            ApnsKafkaProperties properties = context.getBean(ApnsKafkaProperties.class);
            assertThat(properties.deadLetterTopicOrDefault()).isEqualTo("requests-dlt");
            assertThat(properties.worker().enabled()).isFalse();
            assertThat(properties.worker().groupId()).isEqualTo("aapns-workers");
            assertThat(properties.worker().maxInFlight()).isEqualTo(1000);
            assertThat(properties.worker().lowWaterMarkOrDefault()).isEqualTo(500);
            assertThat(properties.worker().concurrency()).isEqualTo(1);
            assertThat(properties.worker().shutdownTimeout()).hasSeconds(30);
            assertThat(properties.worker().revocationTimeout()).hasSeconds(15);
            assertThat(properties.retryTopic()).isNull();
            assertThat(properties.retry()).isEqualTo(ApnsKafkaProperties.Retry.defaults());
            assertThat(properties.retry().maxBackOff())
                    .isLessThan(properties.worker().revocationTimeout());
        });
    }
}
