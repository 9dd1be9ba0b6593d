package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.Reason;
import io.aapns.spi.ApnsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer metrics of an {@link ApnsClient}, fed by its listener events and its counters:
 *
 * <ul>
 *   <li>{@code aapns.notifications} (counter), tags {@code outcome} = accepted, rejected or failed, {@code reason}
 *       (APNs' reason for a rejection, {@code other} for a reason this version does not know, the exception's name for
 *       a failure, none for an acceptance) and {@code kind} = notification (to a device token) or broadcast (to a
 *       channel);
 *   <li>{@code aapns.notifications.latency} (timer), tags {@code outcome} and {@code kind}: from the request's post to
 *       its answer or failure; histograms and percentiles as {@code management.metrics.distribution.*} says;
 *   <li>{@code aapns.retries} (counter), tag {@code cause}: unprocessed, connection-lost, or the reason (status-NNN
 *       without one) of an answer that is re-sent;
 *   <li>gauges {@code aapns.connections} (tag {@code state}), {@code aapns.pending} (waiting for a stream or a
 *       back-off) and {@code aapns.in.flight}, summed over every {@code ApnsClient} bean.
 * </ul>
 *
 * Each notification counts once, when it ends ({@link ApnsListener#requestCompleted}): a notification answered 503 and
 * then accepted counts as accepted (and once in {@code aapns.retries}); one that never reached a connection (a full
 * queue, a deadline passed while it waited) counts as failed.
 *
 * <p>It is the listener of the auto-configured client (that is how events reach it) and a {@link MeterBinder}: events
 * before {@link #bindTo} are not counted. The gauges read the clients found by {@code clients}, looked up when sampled,
 * which avoids a dependency cycle: the client needs this listener when it is built.
 */
final class ApnsMetrics implements ApnsListener, MeterBinder {

    private static final String NONE = "none";
    private static final String BROADCAST_PATH = "/4/broadcasts/";
    private static final String NOTIFICATION = "notification";
    private static final String BROADCAST = "broadcast";
    private final Supplier<List<ApnsClient>> clients;

    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /** @param clients the clients whose gauges to show, looked up at each sample (empty while there are none) */
    ApnsMetrics(Supplier<List<ApnsClient>> clients) {
        this.clients = clients;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (ConnectionState state : ConnectionState.values()) {
            if (state == ConnectionState.CLOSED) {
                continue;
            }
            gauge(
                    registry,
                    "aapns.connections",
                    "Connections to APNs by state",
                    c -> c.stats().connections().getOrDefault(state, 0),
                    "state",
                    state.name().toLowerCase(Locale.ROOT));
        }
        gauge(
                registry,
                "aapns.pending",
                "Notifications waiting for a free stream or for their back-off",
                c -> c.stats().queued());
        gauge(
                registry,
                "aapns.in.flight",
                "Notifications sent and waiting for APNs' answer",
                c -> c.stats().inFlight());
    }

    private void gauge(
            MeterRegistry registry,
            String name,
            String description,
            ToDoubleFunction<ApnsClient> value,
            String... tags) {
        Gauge.builder(name, clients, s -> {
                    List<ApnsClient> all = s.get();
                    if (all.isEmpty()) {
                        return Double.NaN;
                    }
                    double sum = 0;
                    for (ApnsClient c : all) {
                        sum += value.applyAsDouble(c);
                    }
                    return sum;
                })
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public void requestCompleted(Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
        String kind = request.pathStartsWith(BROADCAST_PATH) ? BROADCAST : NOTIFICATION;
        if (response != null && response.status() == 200) {
            record(kind, "accepted", NONE, elapsedNanos);
        } else if (response != null) {
            record(kind, "rejected", reasonTag(response), elapsedNanos);
        } else {
            Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
            record(kind, "failed", c == null ? "unknown" : c.getClass().getSimpleName(), elapsedNanos);
        }
    }

    @Override
    public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String tag = reason == null ? "unknown" : reason;
        counters.computeIfAbsent(
                        "retry|" + tag,
                        k -> Counter.builder("aapns.retries")
                                .description("Notifications sent again, by cause")
                                .tag("cause", tag)
                                .register(r))
                .increment();
    }

    /**
     * The {@code reason} tag of a rejection, from a bounded set ({@link Reason#keyOf}): a server's own words never
     * become a tag, so a server that invents reasons cannot make the meters grow without bound.
     */
    static String reasonTag(Response response) {
        return Reason.keyOf(response.status(), response.reason().orElse(null));
    }

    private void record(String kind, String outcome, String reason, long elapsedNanos) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        counters.computeIfAbsent(
                        kind + "|" + outcome + "|" + reason,
                        k -> Counter.builder("aapns.notifications")
                                .description(
                                        "Notifications that ended: accepted or rejected by APNs, or failed without an answer")
                                .tag("outcome", outcome)
                                .tag("reason", reason)
                                .tag("kind", kind)
                                .register(r))
                .increment();
        timers.computeIfAbsent(
                        kind + "|" + outcome,
                        k -> Timer.builder("aapns.notifications.latency")
                                .description("From sending a notification to its end, retries included")
                                .tag("outcome", outcome)
                                .tag("kind", kind)
                                .register(r))
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }
}
