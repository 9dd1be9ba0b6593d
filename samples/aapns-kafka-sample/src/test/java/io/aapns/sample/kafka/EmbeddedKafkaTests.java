package io.aapns.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** When the sample's embedded Kafka stays off: a configured cluster, or {@code sample.embedded-kafka=false}. */
class EmbeddedKafkaTests {

    private static GenericApplicationContext initialized(Map<String, Object> properties) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
        new EmbeddedKafka().initialize(context);
        return context;
    }

    @Test
    void aConfiguredClusterIsUsedAsItIs() {
        try (GenericApplicationContext context =
                initialized(Map.of("spring.kafka.bootstrap-servers", "kafka-1.example:9092"))) {
            assertThat(context.getBeanFactory().containsSingleton(EmbeddedKafka.BEAN_NAME))
                    .isFalse();
            assertThat(context.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))
                    .isEqualTo("kafka-1.example:9092");
        }
    }

    @Test
    void itCanBeSwitchedOff() {
        try (GenericApplicationContext context = initialized(Map.of("sample.embedded-kafka", "false"))) {
            assertThat(context.getBeanFactory().containsSingleton(EmbeddedKafka.BEAN_NAME))
                    .isFalse();
            assertThat(context.getEnvironment().containsProperty("spring.kafka.bootstrap-servers"))
                    .isFalse();
        }
    }
}
