package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.auth.ClientCertificate;
import io.aapns.channels.ApnsChannels;
import io.aapns.errors.ApnsException;
import io.aapns.pool.ConnectionSnapshot;
import io.aapns.pool.PoolStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code aapns} health component: a composite whose entries are
 *
 * <ul>
 *   <li>{@code pool}: UP while at least one connection takes requests; DOWN when none does yet, or when the client is
 *       closed, with the reason when it closed itself (credentials refused by APNs, TLS handshake rejected);
 *   <li>{@code connection-<slot>}, one per connection ({@code connection-<slot>-draining} for one that was replaced and
 *       still finishes its requests): UP when usable, UNKNOWN while it connects, drains or waits to reconnect (so one
 *       reconnecting connection does not turn the whole component DOWN), with state, streams in flight, the server's
 *       stream limit, counts, connected-since and the last error;
 *   <li>{@code certificate}, with certificate authentication: the subject and expiry of the client certificate, DOWN
 *       once it has expired, and a {@code warning} detail in its last 30 days;
 *   <li>{@code channels}, when there is an {@code ApnsChannels} ({@code aapns.broadcast.enabled}): UP while one of its
 *       connections to the channel management host is usable, with the host, the bundle id and each connection's state,
 *       streams in flight and last error.
 * </ul>
 *
 * The entries are computed at each call, so they follow reconnections.
 */
final class ApnsHealthContributor implements CompositeHealthContributor {

    /** A certificate this close to its expiry gets a warning detail. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final String POOL = "pool";
    private static final String CERTIFICATE = "certificate";
    private static final String CONNECTION = "connection-";
    private static final String CHANNELS = "channels";

    private final ApnsClient client;
    private final Clock clock;
    private final ApnsChannels channels;

    ApnsHealthContributor(ApnsClient client) {
        this(client, Clock.systemUTC());
    }

    /** With the clock certificate expiry is measured by (tests move it). */
    ApnsHealthContributor(ApnsClient client, Clock clock) {
        this(client, clock, null);
    }

    /** With the channel management client whose connections show under {@code channels} ({@code null}: none). */
    ApnsHealthContributor(ApnsClient client, Clock clock, ApnsChannels channels) {
        this.client = client;
        this.clock = clock;
        this.channels = channels;
    }

    @Override
    public HealthContributor getContributor(String name) {
        if (POOL.equals(name)) {
            return (HealthIndicator) this::poolHealth;
        }
        if (CHANNELS.equals(name)) {
            return channels == null ? null : (HealthIndicator) this::channelsHealth;
        }
        if (CERTIFICATE.equals(name)) {
            return client.clientCertificate()
                    .<HealthContributor>map(c -> (HealthIndicator) () -> certificateHealth(c))
                    .orElse(null);
        }
        if (name.startsWith(CONNECTION)) {
            boolean present = connectionEntries(client.connections()).containsKey(name);
            return present ? (HealthIndicator) () -> connectionHealth(name) : null;
        }
        return null;
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        List<HealthContributors.Entry> entries = new ArrayList<>();
        entries.add(new HealthContributors.Entry(POOL, (HealthIndicator) this::poolHealth));
        for (String name : connectionEntries(client.connections()).keySet()) {
            entries.add(new HealthContributors.Entry(name, (HealthIndicator) () -> connectionHealth(name)));
        }
        client.clientCertificate()
                .ifPresent(c -> entries.add(
                        new HealthContributors.Entry(CERTIFICATE, (HealthIndicator) () -> certificateHealth(c))));
        if (channels != null) {
            entries.add(new HealthContributors.Entry(CHANNELS, (HealthIndicator) this::channelsHealth));
        }
        return entries.stream();
    }

    Health channelsHealth() {
        List<ConnectionSnapshot> connections = channels.connections();
        long usable = connections.stream().filter(ConnectionSnapshot::usable).count();
        Health.Builder health;
        if (!channels.isOpen()) {
            health = Health.down()
                    .withDetail(
                            "reason",
                            channels.closeCause()
                                    .map(ApnsException::getMessage)
                                    .orElse("the channel management client is closed"));
        } else if (usable > 0) {
            health = Health.up();
        } else {
            health = Health.down().withDetail("reason", "no connection to the channel management host is usable yet");
        }
        List<Map<String, Object>> details = new ArrayList<>();
        for (ConnectionSnapshot s : connections) {
            Map<String, Object> d = new java.util.LinkedHashMap<>();
            d.put("slot", s.slot());
            d.put("state", s.state().name());
            d.put("inFlight", s.inFlight());
            d.put("maxConcurrentStreams", s.maxConcurrentStreams());
            s.lastError().ifPresent(e -> d.put("lastError", e));
            details.add(d);
        }
        return health.withDetail("server", channels.server().origin().toString())
                .withDetail("bundleId", channels.bundleId())
                .withDetail("usableConnections", usable)
                .withDetail("connections", details)
                .build();
    }

    Health poolHealth() {
        Health.Builder health;
        List<ConnectionSnapshot> connections = client.connections();
        long usable = connections.stream().filter(ConnectionSnapshot::usable).count();
        if (!client.isOpen()) {
            health = Health.down()
                    .withDetail(
                            "reason",
                            client.closeCause().map(ApnsException::getMessage).orElse("the client is closed"));
        } else if (usable > 0) {
            health = Health.up();
        } else {
            health = Health.down().withDetail("reason", "no connection to APNs is usable yet");
            connections.stream()
                    .flatMap(s -> s.lastError().stream())
                    .findFirst()
                    .ifPresent(e -> health.withDetail("lastError", e));
        }
        PoolStats stats = client.stats();
        health.withDetail("server", client.server().origin().toString())
                .withDetail(
                        "authentication",
                        client.clientCertificate().isPresent()
                                ? "certificate"
                                : "token "
                                        + client.signingKey()
                                                .map(k -> k.keyId() + " (team " + k.teamId() + ")")
                                                .orElse(""))
                .withDetail("usableConnections", usable)
                .withDetail("connections", connections.size())
                .withDetail("inFlight", stats.inFlight())
                .withDetail("pending", stats.queued())
                .withDetail("completed", stats.completed())
                .withDetail("failed", stats.failed())
                .withDetail("retried", stats.retriedTotal());
        return health.build();
    }

    /**
     * The connection entries of one list of snapshots, by name: {@code connection-<slot>} for each slot's current
     * connection, {@code connection-<slot>-draining} (then {@code -draining-2}, ...) for connections that were replaced
     * and still finish their requests, so that no connection hides another.
     */
    static Map<String, ConnectionSnapshot> connectionEntries(List<ConnectionSnapshot> snapshots) {
        Map<String, ConnectionSnapshot> entries = new LinkedHashMap<>();
        for (ConnectionSnapshot s : snapshots) {
            String name = CONNECTION + s.slot();
            if (entries.containsKey(name)) {
                String draining = name + "-draining";
                name = draining;
                for (int n = 2; entries.containsKey(name); n++) {
                    name = draining + "-" + n;
                }
            }
            entries.put(name, s);
        }
        return entries;
    }

    Health connectionHealth(String name) {
        ConnectionSnapshot s = connectionEntries(client.connections()).get(name);
        if (s == null) {
            return Health.unknown().withDetail("state", "gone").build();
        }
        Health.Builder health =
                s.usable() ? Health.up() : client.isOpen() ? Health.status(Status.UNKNOWN) : Health.down();
        health.withDetail("state", s.state().name())
                .withDetail("inFlight", s.inFlight())
                .withDetail("maxConcurrentStreams", s.maxConcurrentStreams())
                .withDetail("sent", s.sent())
                .withDetail("answered", s.answered())
                .withDetail("failed", s.failed());
        s.connectedSince().ifPresent(t -> health.withDetail("connectedSince", t.toString()));
        s.lastError().ifPresent(e -> health.withDetail("lastError", e));
        s.goAwayReason().ifPresent(r -> health.withDetail("goAwayReason", r));
        return health.build();
    }

    Health certificateHealth(ClientCertificate certificate) {
        Instant now = clock.instant();
        Instant notAfter = certificate.notAfter();
        Duration left = Duration.between(now, notAfter);
        Health.Builder health = left.isNegative() ? Health.down() : Health.up();
        health.withDetails(Map.of("subject", certificate.subject(), "notAfter", notAfter.toString()));
        if (left.isNegative()) {
            health.withDetail(
                    "error",
                    "the APNs client certificate expired on " + notAfter
                            + ": create a new one in Apple Developer > Certificates and configure it");
        } else {
            long days = left.toDays();
            health.withDetail("daysLeft", days);
            if (left.compareTo(EXPIRY_WARNING) < 0) {
                health.withDetail(
                        "warning",
                        "the APNs client certificate expires in " + days + " day(s), on " + notAfter
                                + ": renew it in Apple Developer > Certificates");
            }
        }
        return health.build();
    }
}
