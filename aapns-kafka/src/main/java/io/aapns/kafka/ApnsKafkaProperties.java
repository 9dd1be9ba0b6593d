package io.aapns.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code aapns.kafka.*} properties: the topics, and the worker's settings. Kafka itself (bootstrap servers,
 * security, client settings) is configured with Spring Boot's {@code spring.kafka.*}.
 *
 * @param requestsTopic the topic of push requests; the publisher is a bean when it is set, and the worker reads it
 * @param resultsTopic where the worker writes one outcome per request (optional)
 * @param unregisteredTopic where the worker also writes each 410 Unregistered outcome, for token clean-up (optional)
 * @param deadLetterTopic where records that cannot be parsed or validated go, with the error in headers; defaults to
 *     the requests topic followed by {@code -dlt}
 * @param worker the worker's settings
 */
@ConfigurationProperties("aapns.kafka")
public record ApnsKafkaProperties(
        String requestsTopic,
        String resultsTopic,
        String unregisteredTopic,
        String deadLetterTopic,
        @DefaultValue Worker worker) {

    /** Returns the dead-letter topic: the one set, or the requests topic followed by {@code -dlt}. */
    public String deadLetterTopicOrDefault() {
        if (deadLetterTopic != null && !deadLetterTopic.isBlank()) {
            return deadLetterTopic;
        }
        return requestsTopic + "-dlt";
    }

    /**
     * The worker's settings.
     *
     * @param enabled whether this application runs a worker
     * @param groupId the consumer group of the workers
     * @param id this worker's id in results (defaults to the host name and a random suffix)
     * @param concurrency consumer threads (each takes some of the partitions)
     * @param maxInFlight the most notifications sent and not yet answered at once; past it the container pauses
     * @param lowWaterMark the container resumes once no more than this many are held (defaults to half of
     *     {@code max-in-flight})
     * @param shutdownTimeout how long stopping waits for notifications in flight
     * @param revocationTimeout how long a rebalance waits for the revoked partitions' notifications in flight (keep it
     *     above {@code aapns.request-timeout} and well below the consumer's {@code max.poll.interval.ms})
     */
    public record Worker(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("aapns-workers") String groupId,
            String id,
            @DefaultValue("1") int concurrency,
            @DefaultValue("1000") int maxInFlight,
            Integer lowWaterMark,
            @DefaultValue("30s") Duration shutdownTimeout,
            @DefaultValue("15s") Duration revocationTimeout) {

        /** Returns the low-water mark: the one set, or half of {@code max-in-flight}. */
        public int lowWaterMarkOrDefault() {
            return lowWaterMark != null ? lowWaterMark : maxInFlight / 2;
        }
    }
}
