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
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.springframework.beans.BeansException;

/**
 * Micrometer metrics of the auto-configured {@link ApnsClient}s, fed by their listener events and their counters. Every
 * meter has the tag {@code client}: the client's name ({@link ClientNames}: {@code default} for the client of the
 * top-level {@code aapns.*} properties, {@code <name>} for a named one, the bean name for an application's own bean).
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
 *       back-off) and {@code aapns.in.flight}, one of each per {@code ApnsClient} bean, the application's own beans
 *       included.
 * </ul>
 *
 * Each notification counts once, when it ends ({@link ApnsListener#requestCompleted}): a notification answered 503 and
 * then accepted counts as accepted (and once in {@code aapns.retries}); one that never reached a connection (a full
 * queue, a deadline passed while it waited) counts as failed.
 *
 * <p>It hands each auto-configured client a listener of its own ({@link ApnsClientListenerSource}: that is how events
 * reach it) and is a {@link MeterBinder}: events before {@link #bindTo} are not counted. The gauges look their client
 * up by bean name when sampled, which avoids a dependency cycle: a client needs its listener when it is built.
 */
final class ApnsMetrics implements ApnsClientListenerSource, ApnsListener, MeterBinder {

    private static final String NONE = "none";
    private static final String CLIENT = "client";
    private static final String BROADCAST_PATH = "/4/broadcasts/";
    private static final String NOTIFICATION = "notification";
    private static final String BROADCAST = "broadcast";

    private final Supplier<List<String>> clientBeans;
    private final Function<String, ApnsClient> lookup;
    private final ConcurrentHashMap<String, ClientMeters> byClient = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    /**
     * @param clientBeans the names of the {@code ApnsClient} beans to show gauges for, read when bound
     * @param lookup the client of a bean name, looked up at each sample (it may throw while the context closes)
     */
    ApnsMetrics(Supplier<List<String>> clientBeans, Function<String, ApnsClient> lookup) {
        this.clientBeans = clientBeans;
        this.lookup = lookup;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String bean : clientBeans.get()) {
            String client = ClientNames.ofBean(bean);
            for (ConnectionState state : ConnectionState.values()) {
                if (state == ConnectionState.CLOSED) {
                    continue;
                }
                gauge(
                        registry,
                        bean,
                        "aapns.connections",
                        "Connections to APNs by state",
                        c -> c.stats().connections().getOrDefault(state, 0),
                        Tags.of(CLIENT, client, "state", state.name().toLowerCase(Locale.ROOT)));
            }
            gauge(
                    registry,
                    bean,
                    "aapns.pending",
                    "Notifications waiting for a free stream or for their back-off",
                    c -> c.stats().queued(),
                    Tags.of(CLIENT, client));
            gauge(
                    registry,
                    bean,
                    "aapns.in.flight",
                    "Notifications sent and waiting for APNs' answer",
                    c -> c.stats().inFlight(),
                    Tags.of(CLIENT, client));
        }
    }

    private void gauge(
            MeterRegistry registry,
            String bean,
            String name,
            String description,
            ToDoubleFunction<ApnsClient> value,
            Tags tags) {
        Gauge.builder(name, lookup, l -> {
                    try {
                        return value.applyAsDouble(l.apply(bean));
                    } catch (BeansException e) {
                        return Double.NaN; // sampled while the context closes
                    }
                })
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    /** The listener of the client {@code clientName}: its meters, made once per client and kept. */
    @Override
    public ApnsListener clientListener(String clientName) {
        return byClient.computeIfAbsent(clientName, ClientMeters::new);
    }

    /**
     * As a plain listener (an application's own client given the {@link ApnsListener} beans), it counts under
     * {@code client=default}; the auto-configured clients get a listener of their own instead.
     */
    @Override
    public void requestCompleted(Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
        clientListener(ClientNames.DEFAULT).requestCompleted(request, response, cause, attempts, elapsedNanos);
    }

    @Override
    public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
        clientListener(ClientNames.DEFAULT).requestRetried(request, attempt, delay, reason, cause);
    }

    /**
     * The {@code reason} tag of a rejection, from a bounded set ({@link Reason#keyOf}): a server's own words never
     * become a tag, so a server that invents reasons cannot make the meters grow without bound.
     */
    static String reasonTag(Response response) {
        return Reason.keyOf(response.status(), response.reason().orElse(null));
    }

    /**
     * The counters and timers of one client, each made on first use with the client's tag, so that counting a
     * notification looks its meter up by outcome alone.
     */
    private final class ClientMeters implements ApnsListener {

        private final String client;
        private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

        ClientMeters(String client) {
            this.client = client;
        }

        @Override
        public void requestCompleted(
                Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
            String kind = request.pathStartsWith(BROADCAST_PATH) ? BROADCAST : NOTIFICATION;
            if (response != null && response.status() == 200) {
                record(kind, "accepted", ApnsMetrics.NONE, elapsedNanos);
            } else if (response != null) {
                record(kind, "rejected", reasonTag(response), elapsedNanos);
            } else {
                Throwable c =
                        cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
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
                                    .tag(CLIENT, client)
                                    .tag("cause", tag)
                                    .register(r))
                    .increment();
        }

        private void record(String kind, String outcome, String reason, long elapsedNanos) {
            MeterRegistry r = registry;
            if (r == null) {
                return;
            }
            counters.computeIfAbsent(
                            kind + "|" + outcome + "|" + reason,
                            k -> Counter.builder("aapns.notifications")
                                    .description("Notifications that ended: accepted or rejected by APNs, or failed"
                                            + " without an answer")
                                    .tag(CLIENT, client)
                                    .tag("outcome", outcome)
                                    .tag("reason", reason)
                                    .tag("kind", kind)
                                    .register(r))
                    .increment();
            timers.computeIfAbsent(
                            kind + "|" + outcome,
                            k -> Timer.builder("aapns.notifications.latency")
                                    .description("From sending a notification to its end, retries included")
                                    .tag(CLIENT, client)
                                    .tag("outcome", outcome)
                                    .tag("kind", kind)
                                    .register(r))
                    .record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }
}
