package io.aapns.cli;

import io.aapns.channels.ApnsChannelServer;
import io.aapns.channels.ApnsChannels;
import io.aapns.channels.ChannelOutcomeUnknownException;
import io.aapns.channels.ChannelRejectedException;
import io.aapns.errors.ApnsException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every {@code aapns channels} command shares: the credentials and bundle id, the channel management host, an
 * {@link ApnsChannels} opened for the one operation, and how its outcome becomes an exit code (a rejection 1 with APNs'
 * reason, no answer 3).
 */
abstract class ChannelCommand implements Callable<Integer> {

    final CliEnvironment env;

    @Option(
            names = "--management-url",
            paramLabel = "URL",
            description = "the channel management server, https://host:port (a mock server's channel origin);"
                    + " overrides --env, whose hosts are Apple's api-manage-broadcast (env APNS_MANAGEMENT_URL)")
    String managementUrl;

    @Mixin
    AppArgs app;

    @Mixin
    ConnectionArgs connection;

    ChannelCommand(CliEnvironment env) {
        this.env = env;
    }

    /** Runs the operation; its answer is printed by it, its failure thrown. */
    abstract int run(ApnsChannels channels) throws Exception;

    @Override
    public final Integer call() throws Exception {
        ApnsChannelServer server = server();
        Path trust = connection.trust(env);
        int connections = connection.connections();
        if (connections > 2) {
            throw new CliException("--connections " + connections + ": channel management uses 1 or 2 connections");
        }
        Credentials credentials = Credentials.read(connection, env, true);
        String bundleId = app.bundleId(env, credentials);
        ApnsChannels.Builder builder = ApnsChannels.builder()
                .server(server)
                .bundleId(bundleId)
                .poolSize(connections)
                .requestTimeout(connection.timeout)
                .connectTimeout(connection.timeout)
                .startTimeout(connection.timeout);
        credentials.applyTo(builder);
        if (trust != null) {
            builder.trustedCertificates(trust);
        }
        ApnsChannels channels = builder.build();
        try {
            Connecting.await(channels.ready(), connection.timeout, server.origin(), "--management-url or --env");
            return run(channels);
        } finally {
            try {
                channels.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                channels.close();
            }
            env.out().flush();
        }
    }

    /** --management-url (or its variable), else Apple's host for --env; a push --url alone does not say it. */
    ApnsChannelServer server() {
        String origin = managementUrl != null ? managementUrl : env.variable("APNS_MANAGEMENT_URL");
        if (origin != null) {
            try {
                return ApnsChannelServer.of(URI.create(origin.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--management-url " + origin + " is not an https origin: write it as"
                        + " https://host:port (" + e.getMessage() + ")");
            }
        }
        if (connection.url != null || env.variable("APNS_URL") != null) {
            throw new CliException("--url names a push server, and channel management has a host of its own: give"
                    + " --management-url https://host:port too ('aapns mock' prints its channel origin)");
        }
        return connection.server(env).isDevelopment()
                ? ApnsChannelServer.development()
                : ApnsChannelServer.production();
    }

    /**
     * Waits for an operation's answer: a rejection exits 1 with APNs' reason, a lost answer or a timeout 3.
     *
     * @param what the operation, for the messages ("create a channel")
     */
    <T> T await(CompletableFuture<T> operation, String what) throws InterruptedException {
        try {
            return operation.get(connection.timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliException(
                    "no answer to " + what + " within " + connection.timeout + unknownHint(what),
                    ExitCodes.NO_ANSWER,
                    e);
        } catch (ExecutionException e) {
            Throwable cause = CliProblems.unwrap(e);
            if (cause instanceof ChannelRejectedException rejected) {
                throw new CliException(rejected.getMessage(), ExitCodes.REJECTED, rejected);
            }
            if (cause instanceof ChannelOutcomeUnknownException unknown) {
                throw new CliException(CliProblems.message(unknown) + unknownHint(what), ExitCodes.NO_ANSWER, unknown);
            }
            if (cause instanceof ApnsException) {
                throw new CliException(
                        "no answer to " + what + ": " + CliProblems.message(cause) + unknownHint(what),
                        ExitCodes.NO_ANSWER,
                        cause);
            }
            throw CliProblems.toCliException(cause);
        }
    }

    private String unknownHint(String what) {
        return what.startsWith("create") ? ". A channel may exist: 'aapns channels list' shows the app's channels" : "";
    }
}
