package io.aapns.spring.boot.autoconfigure;

import io.aapns.channels.ChannelOperation;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.spi.ApnsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer metrics of the auto-configured {@code ApnsChannels}: {@code aapns.channels.operations} (counter), tags
 * {@code operation} (create, read, list, delete), {@code outcome} (success, rejected, failed) and {@code reason} (as
 * for notifications: Apple's reason, {@code other}, {@code status-NNN}, the exception's name, or none). Each operation
 * counts once, when its pool is done with it; a read or delete that {@code ApnsChannels} sends again after a lost
 * answer counts twice.
 */
final class ApnsChannelsMetrics implements MeterBinder, ApnsChannelsListenerSource {

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    private final ApnsListener listener = new ApnsListener() {
        @Override
        public void requestCompleted(
                Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
            String operation = operation(request).tag();
            if (response != null && response.is2xx()) {
                count(operation, "success", "none");
            } else if (response != null) {
                count(operation, "rejected", ApnsMetrics.reasonTag(response));
            } else {
                Throwable c =
                        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
                count(operation, "failed", c == null ? "unknown" : c.getClass().getSimpleName());
            }
        }
    };

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ApnsListener channelsListener() {
        return listener;
    }

    /** The operation of a management request, from its method and path. */
    static ChannelOperation operation(Request request) {
        return switch (request.method()) {
            case Request.POST -> ChannelOperation.CREATE;
            case Request.DELETE -> ChannelOperation.DELETE;
            default -> request.path().endsWith("/all-channels") ? ChannelOperation.LIST : ChannelOperation.READ;
        };
    }

    private void count(String operation, String outcome, String reason) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        counters.computeIfAbsent(
                        operation + "|" + outcome + "|" + reason,
                        k -> Counter.builder("aapns.channels.operations")
                                .description("Channel management operations that ended, by operation and outcome")
                                .tag("operation", operation)
                                .tag("outcome", outcome)
                                .tag("reason", reason)
                                .register(r))
                .increment();
    }
}
