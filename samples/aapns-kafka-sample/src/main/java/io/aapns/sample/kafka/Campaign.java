package io.aapns.sample.kafka;

import io.aapns.kafka.ApnsKafkaPublisher;
import io.aapns.model.Notification;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One campaign: the same notification to {@code count} generated device tokens, each 64 hex digits, the campaign's id
 * (48 random hex digits) followed by the index in 16. The tokens are distinct, and spread over the partitions since the
 * record key is the token.
 */
final class Campaign {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final String id;
    private final int count;

    Campaign(int count) {
        byte[] id = new byte[24];
        RANDOM.nextBytes(id);
        this.id = HEX.formatHex(id);
        this.count = count;
    }

    String id() {
        return id;
    }

    /** The token of the campaign's {@code index}th device. */
    String token(int index) {
        return id + HEX.toHexDigits((long) index);
    }

    /**
     * Publishes the notification to every device of the campaign. The future completes once Kafka has every request, or
     * fails with the first error.
     */
    CompletableFuture<Void> publish(ApnsKafkaPublisher publisher, Notification notification) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(count);
        for (int i = 0; i < count && !all.isDone(); i++) {
            publisher.publish(token(i), notification).whenComplete((written, error) -> {
                if (error != null) {
                    all.completeExceptionally(error);
                } else if (pending.decrementAndGet() == 0) {
                    all.complete(null);
                }
            });
        }
        return all;
    }
}
