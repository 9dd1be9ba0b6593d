package io.aapns.sample.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The Kafka sample's out-of-the-box Kafka: when {@code spring.kafka.bootstrap-servers} is not set and
 * {@code sample.embedded-kafka} is not {@code false}, it starts a one-node KRaft cluster in this JVM
 * (spring-kafka-test's {@link EmbeddedKafkaKraftBroker}, on an ephemeral loopback port, topics auto-created with
 * {@code sample.topic-partitions} partitions) and sets {@code spring.kafka.bootstrap-servers} to it, before any bean is
 * made. The broker is the bean {@code embeddedKafka}; it stops when the context closes, after the Kafka clients.
 * Registered in META-INF/spring.factories.
 */
public class EmbeddedKafka implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    /** The name of the broker's bean. */
    public static final String BEAN_NAME = "embeddedKafka";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!env.getProperty("sample.embedded-kafka", Boolean.class, true)
                || env.containsProperty("spring.kafka.bootstrap-servers")
                || Boolean.getBoolean("spring.aot.processing")) {
            return; // (ahead-of-time processing builds bean definitions only: no broker to start)
        }
        int partitions = env.getProperty("sample.topic-partitions", Integer.class, 6);
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
        // The broker writes its address to a system property; by default to spring.kafka.bootstrap-servers, which
        // would outlive this context in the JVM. Only its own property instead, cleared when it stops.
        broker.brokerListProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        Runnable stop = start(broker);
        String servers = broker.getBrokersAsString();
        env.getPropertySources()
                .addFirst(new MapPropertySource("embeddedKafka", Map.of("spring.kafka.bootstrap-servers", servers)));
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        beans.registerSingleton(BEAN_NAME, broker);
        if (beans instanceof DefaultListableBeanFactory registry) {
            registry.registerDisposableBean(BEAN_NAME, stop::run);
        }
        // Stopped after the producers that write to it (the worker and the listeners stop before any bean is
        // destroyed).
        beans.registerDependentBean(BEAN_NAME, "apnsKafkaClients");
        beans.registerDependentBean(BEAN_NAME, "kafkaProducerFactory");
        log.info(
                "spring.kafka.bootstrap-servers not set: started an embedded Kafka broker (KRaft, one node) at {}."
                        + " Set spring.kafka.bootstrap-servers to use a Kafka cluster.",
                servers);
    }

    /**
     * Starts the broker and returns what stops it. Kafka gives the broker's temporary directories JVM shutdown hooks
     * that delete them; on SIGTERM those would run at the same time as the context's own shutdown, deleting the
     * directories under the running broker (which then logs errors). They are kept and run once the broker has stopped
     * instead.
     */
    private static Runnable start(EmbeddedKafkaKraftBroker broker) {
        List<Runnable> deleteDirectories = new CopyOnWriteArrayList<>();
        Runnable stop = () -> {
            broker.destroy();
            deleteDirectories.forEach(Runnable::run);
            System.clearProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
        };
        Exit.setShutdownHookAdder((name, hook) -> deleteDirectories.add(hook));
        try {
            broker.afterPropertiesSet();
        } catch (RuntimeException e) {
            stop.run();
            throw e;
        } finally {
            Exit.resetShutdownHookAdder();
        }
        return stop;
    }
}
