package io.aapns.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code aapns.kafka.*} properties: the topics, and the worker's settings. Kafka itself (bootstrap servers,
 * security, client settings) is configured with Spring Boot's {@code spring.kafka.*}.
 *
 * @param requestsTopic Topic of push requests. The publisher is a bean when it is set, and the worker reads it.
 * @param resultsTopic Topic where the worker writes one outcome per request. Outcomes are not written when unset.
 * @param unregisteredTopic Topic where the worker also writes each 410 Unregistered outcome, for token clean-up.
 * @param deadLetterTopic Topic of the records that cannot be parsed, validated or routed, and of the requests still
 *     without an answer after the last attempt, with the error in headers. Defaults to the requests topic followed by
 *     "-dlt".
 * @param retryTopic Topic where a request that failed without an answer (its deadline passed, the connection failed)
 *     waits for its next attempt. The worker reads it too. When unset, such a request is not retried: its failure is
 *     reported and it goes to the dead-letter topic at once.
 * @param worker Settings of the worker.
 * @param retry Attempts and back-off of the retry topic.
 */
@ConfigurationProperties("aapns.kafka")
public record ApnsKafkaProperties(
        String requestsTopic,
        String resultsTopic,
        String unregisteredTopic,
        String deadLetterTopic,
        String retryTopic,
        @DefaultValue Worker worker,
        @DefaultValue Retry retry) {

    /** The properties as bound from {@code aapns.kafka.*}. */
    @ConstructorBinding
    public ApnsKafkaProperties {}

    /** The properties without a retry topic (as before retries existed). */
    public ApnsKafkaProperties(
            String requestsTopic,
            String resultsTopic,
            String unregisteredTopic,
            String deadLetterTopic,
            Worker worker) {
        this(requestsTopic, resultsTopic, unregisteredTopic, deadLetterTopic, null, worker, Retry.defaults());
    }

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
     * @param enabled Whether this application runs a worker.
     * @param groupId Consumer group of the workers.
     * @param id Id of this worker in results. Defaults to the host name and a random suffix.
     * @param concurrency Number of consumer threads. Each takes some of the partitions.
     * @param maxInFlight Maximum number of notifications sent and not yet answered at once. The container pauses when
     *     this many records are held.
     * @param lowWaterMark Number of records held at or below which the paused container resumes. Defaults to half of
     *     max-in-flight.
     * @param shutdownTimeout Time stopping waits for the notifications in flight.
     * @param revocationTimeout Time a rebalance waits for the revoked partitions' notifications in flight. Keep it
     *     above aapns.request-timeout and well below the consumer's max.poll.interval.ms.
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

    /**
     * Attempts and back-off of the retry topic.
     *
     * @param maxAttempts Maximum number of attempts of a request that fails without an answer, the first included.
     *     After the last, its failure is reported and it goes to the dead-letter topic.
     * @param backOff Time a request waits in the retry topic before its second attempt.
     * @param multiplier Factor by which the wait grows for each further attempt.
     * @param maxBackOff Maximum time a request waits before an attempt.
     */
    public record Retry(
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("1s") Duration backOff,
            @DefaultValue("2.0") double multiplier,
            @DefaultValue("10s") Duration maxBackOff) {

        /** Returns the defaults: 3 attempts, waiting 1 s, then 2 s, never more than 10 s. */
        public static Retry defaults() {
            return new Retry(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10));
        }

        /** Returns how long a request waits before attempt {@code attempt} (2 for the first retry). */
        public Duration delayBefore(int attempt) {
            double millis = backOff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 2));
            return Duration.ofMillis((long) Math.min(millis, maxBackOff.toMillis()));
        }
    }
}
