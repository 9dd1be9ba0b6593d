package io.aapns.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Another instance of a test's worker: the {@link TestApplication} as an application of its own, with the test
 * context's broker, mock APNs and {@code aapns.kafka.*} settings ({@link #propertiesLike}), started in this JVM
 * ({@link #start}) or, through {@link #main}, in a child JVM ({@link ChildWorker}).
 *
 * <p>The properties go in as command-line arguments, which take precedence over the system property
 * {@code spring.kafka.bootstrap-servers} that every embedded broker of the test JVM sets in turn.
 */
final class WorkerApplication {

    /** The properties, besides {@code aapns.kafka.*}, that point an application at the test's broker and mock APNs. */
    private static final List<String> CONNECTION = List.of(
            "spring.kafka.bootstrap-servers",
            "aapns.url",
            "aapns.trust-certificates",
            "aapns.topic",
            "aapns.certificate.path",
            "aapns.certificate.password");

    /** How long a worker in a child JVM lives at most, should nobody kill it. */
    private static final Duration CHILD_LIFETIME = Duration.ofMinutes(10);

    private WorkerApplication() {}

    /**
     * Returns the properties of another worker in the group of the test context whose environment is {@code env}: its
     * broker, its mock APNs server with the same credentials, its {@code aapns.kafka.*} settings, and the worker id
     * {@code workerId}. The map is mutable, to change what this worker does differently.
     */
    static Map<String, String> propertiesLike(ConfigurableEnvironment env, String workerId) {
        Map<String, String> properties = new TreeMap<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("aapns.kafka.")) {
                        properties.putIfAbsent(name, env.getProperty(name));
                    }
                }
            }
        }
        for (String name : CONNECTION) {
            properties.put(name, env.getRequiredProperty(name));
        }
        properties.put("aapns.kafka.worker.enabled", "true");
        properties.put("aapns.kafka.worker.id", workerId);
        return properties;
    }

    /** Starts a worker application with {@code properties} in this JVM; close it to stop the worker. */
    static ConfigurableApplicationContext start(Map<String, String> properties) {
        return start(arguments(properties));
    }

    /** Returns {@code properties} as Spring Boot command-line arguments ({@code --name=value}). */
    static List<String> argumentsOf(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toList();
    }

    /**
     * Runs a worker application in a child JVM, with its properties as arguments ({@code --name=value}), until it is
     * killed; it halts on its own when the JVM that started it exits, or after {@link #CHILD_LIFETIME}, so that no
     * worker outlives its test.
     */
    public static void main(String[] args) {
        ProcessHandle.current()
                .parent()
                .ifPresent(parent ->
                        parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "worker-lifetime");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> Runtime.getRuntime().halt(4), CHILD_LIFETIME.toSeconds(), TimeUnit.SECONDS);
        start(args);
    }

    private static String[] arguments(Map<String, String> properties) {
        return argumentsOf(properties).toArray(String[]::new);
    }

    private static ConfigurableApplicationContext start(String[] args) {
        return new SpringApplicationBuilder(TestApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }
}
