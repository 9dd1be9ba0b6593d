package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.ApnsException;
import io.aapns.errors.ClosedException;
import io.aapns.spi.ApnsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Micrometer metrics of an {@link ApnsClient}, fed by its listener events and its counters:
 * <ul>
 * <li>{@code aapns.notifications} (counter), tags {@code outcome} = accepted, rejected or failed,
 * and {@code reason} (APNs' reason for a rejection, the exception's name for a failure, none for an
 * acceptance);</li>
 * <li>{@code aapns.notifications.latency} (timer with a percentile histogram), tag {@code outcome}:
 * from the request's post to its answer or failure;</li>
 * <li>{@code aapns.retries} (counter), tag {@code cause}: unprocessed, connection-lost, or the
 * reason (status-NNN without one) of an answer that is re-sent;</li>
 * <li>gauges {@code aapns.connections} (tag {@code state}), {@code aapns.pending} (waiting for a
 * stream or a back-off) and {@code aapns.in.flight}.</li>
 * </ul>
 * Counts are per attempt on the wire: a notification that is retried counts once per attempt
 * (and once per retry in {@code aapns.retries}); one that never reaches a connection (a full
 * queue, a deadline passed while it waited) is not counted here, but in the client's
 * {@link io.aapns.pool.PoolStats}.
 *
 * <p>It is the listener of the auto-configured client (that is how events reach it) and a
 * {@link MeterBinder}: events before {@link #bindTo} are not counted. The gauges read the client
 * found by {@code client}, looked up when sampled, which avoids a dependency cycle: the client
 * needs this listener when it is built.
 */
public final class ApnsMetrics implements ApnsListener, MeterBinder {

    private static final Pattern ANSWER = Pattern.compile("APNs answered (\\d+)(?: (\\S+))?");
    private static final String NONE = "none";

    private final Supplier<ApnsClient> client;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /** @param client the client whose gauges to show, or a supplier of {@code null} when there is none */
    public ApnsMetrics(Supplier<ApnsClient> client) {
        this.client = client;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (ConnectionState state : ConnectionState.values()) {
            if (state == ConnectionState.CLOSED) {
                continue;
            }
            gauge(registry, "aapns.connections", "Connections to APNs by state",
                    c -> c.stats().connections().getOrDefault(state, 0), "state", state.name().toLowerCase());
        }
        gauge(registry, "aapns.pending", "Notifications waiting for a free stream or for their back-off",
                c -> c.stats().queued());
        gauge(registry, "aapns.in.flight", "Notifications sent and waiting for APNs' answer",
                c -> c.stats().inFlight());
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<ApnsClient> value,
                       String... tags) {
        Gauge.builder(name, client, s -> {
            ApnsClient c = s.get();
            return c == null ? Double.NaN : value.applyAsDouble(c);
        }).description(description).tags(tags).strongReference(true).register(registry);
    }

    @Override
    public void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {
        if (response.status() == 200) {
            record("accepted", NONE, elapsedNanos);
        } else {
            record("rejected", response.reason().orElse("status-" + response.status()), elapsedNanos);
        }
    }

    @Override
    public void requestFailed(Connection connection, Request request, Throwable cause, long elapsedNanos) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        record("failed", c == null ? "unknown" : c.getClass().getSimpleName(), elapsedNanos);
    }

    @Override
    public void requestRetried(Request request, int attempt, Duration delay, Throwable cause) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        String tag = retryCause(cause);
        counters.computeIfAbsent("retry|" + tag, k -> Counter.builder("aapns.retries")
                .description("Notifications sent again, by cause").tag("cause", tag).register(r)).increment();
    }

    /** The pool's name for a retry's cause, as in {@link io.aapns.pool.PoolStats#retried()}. */
    static String retryCause(Throwable cause) {
        if (cause instanceof ClosedException closed) {
            return closed.safeToRetry() ? "unprocessed" : "connection-lost";
        }
        if (cause instanceof ApnsException && cause.getMessage() != null) {
            Matcher m = ANSWER.matcher(cause.getMessage());
            if (m.find()) {
                return m.group(2) != null ? m.group(2) : "status-" + m.group(1);
            }
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName();
    }

    private void record(String outcome, String reason, long elapsedNanos) {
        MeterRegistry r = registry;
        if (r == null) {
            return;
        }
        counters.computeIfAbsent(outcome + "|" + reason, k -> Counter.builder("aapns.notifications")
                .description("Notifications answered by APNs or failed, per attempt")
                .tag("outcome", outcome).tag("reason", reason).register(r)).increment();
        timers.computeIfAbsent(outcome, k -> Timer.builder("aapns.notifications.latency")
                .description("From sending a notification to APNs' answer or the failure")
                .tag("outcome", outcome).publishPercentileHistogram().register(r))
                .record(elapsedNanos, TimeUnit.NANOSECONDS);
    }
}
