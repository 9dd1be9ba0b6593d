package io.aapns.cli;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.BroadcastOptions;
import io.aapns.api.PushResult;
import io.aapns.errors.ApnsException;
import io.aapns.errors.Reason;
import io.aapns.internal.Validation;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aapns broadcast}: one Live Activity update (or end) to every device subscribed to a broadcast channel, through
 * {@link ApnsClient#broadcast}; or, with {@code --dry-run}, the request it would make.
 */
@Command(
        name = "broadcast",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Broadcast a Live Activity update (or end) to a channel's subscribers (iOS 18).",
        footer = {
            "",
            "Environment: APNS_P8, APNS_KEY_ID, APNS_TEAM_ID, APNS_CERT, APNS_KEY, APNS_CERT_PASSWORD, APNS_ENV,"
                    + " APNS_URL, APNS_TRUST, APNS_TOPIC stand in for options not given.",
            "Exit status: 0 accepted, 1 rejected, 2 usage or validation error, 3 no answer."
        })
final class BroadcastCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(paramLabel = "CHANNEL_ID", description = "the channel (base64, as 'aapns channels create' printed it)")
    String channelId;

    @Mixin
    LiveActivityArgs activity;

    @Option(
            names = "--priority",
            paramLabel = "10|5",
            description = "apns-priority: 10 now (the default; counts against the device's budget), 5 with regard to"
                    + " power")
    Integer priority;

    @Option(
            names = "--expiration",
            paramLabel = "EPOCH|0",
            description = "apns-expiration: 0 (the default) delivers once, stores nothing; on a channel that stores"
                    + " the most recent message, until when it is kept (epoch seconds, 8 hours at most)")
    Long expiration;

    @Option(names = "--dry-run", description = "print the request (headers and JSON body) and check it; send nothing")
    boolean dryRun;

    @Mixin
    AppArgs app;

    @Mixin
    ConnectionArgs connection;

    BroadcastCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        Notification notification = activity.build();
        BroadcastOptions.Builder options = BroadcastOptions.builder().timeout(connection.timeout);
        if (priority != null) {
            try {
                options.priority(Priority.of(priority));
            } catch (IllegalArgumentException e) {
                throw new CliException("--priority " + priority + ": " + e.getMessage());
            }
        }
        if (expiration != null) {
            if (expiration < 0) {
                throw new CliException("--expiration " + expiration + " must be epoch seconds, or 0 to deliver once");
            }
            options.expiration(Instant.ofEpochSecond(expiration));
        }
        ApnsServer server = connection.server(env);
        Path trust = connection.trust(env);
        int connections = connection.connections();
        Credentials credentials = Credentials.read(connection, env, !dryRun);
        String bundleId = app.bundleId(env, credentials);
        try {
            Validation.checkChannelId(channelId);
            Validation.checkBroadcast(notification);
            options.bundleId(bundleId);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        UUID requestId = UUID.randomUUID();
        BroadcastOptions built = options.apnsRequestId(requestId).build();
        if (dryRun) {
            printRequest(server, bundleId, built, credentials, notification);
            env.err().println("dry run: valid; nothing was sent");
            env.err().flush();
            return ExitCodes.OK;
        }
        ApnsClient.Builder builder = ApnsClient.builder()
                .server(server)
                .topic(bundleId)
                .poolSize(connections)
                .requestTimeout(connection.timeout)
                .connectTimeout(connection.timeout)
                .startTimeout(connection.timeout);
        credentials.applyTo(builder);
        if (trust != null) {
            builder.trustedCertificates(trust);
        }
        ApnsClient client = builder.build();
        try {
            Connecting.await(client.ready(), connection.timeout, server.origin(), "--url or --env");
            PushResult result = broadcast(client, notification, built);
            PrintWriter out = env.out();
            out.println(text(result));
            out.flush();
            return result.accepted() ? ExitCodes.OK : ExitCodes.REJECTED;
        } finally {
            try {
                client.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                client.close();
            }
        }
    }

    private PushResult broadcast(ApnsClient client, Notification notification, BroadcastOptions options)
            throws InterruptedException {
        try {
            return client.broadcast(channelId, notification, options)
                    .get(connection.timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof TimeoutException ? e : CliProblems.unwrap(e);
            boolean maybe = cause instanceof ApnsException a && a.possiblyDelivered();
            throw new CliException(
                    "no answer for the broadcast to channel " + channelId + " (apns-request-id "
                            + options.apnsRequestId().orElseThrow() + "): "
                            + (e instanceof TimeoutException
                                    ? "none within " + connection.timeout
                                    : CliProblems.message(cause))
                            + (maybe ? " (it may have been delivered)" : " (not delivered)"),
                    ExitCodes.NO_ANSWER,
                    cause);
        }
    }

    private String text(PushResult result) {
        String requestId = result.apnsRequestId().orElse(result.apnsId());
        if (result.accepted()) {
            return "accepted channel " + channelId + " apns-request-id " + requestId
                    + result.apnsUniqueId().map(u -> " apns-unique-id " + u).orElse("");
        }
        String detail = result.reason()
                .filter(r -> r != Reason.UNKNOWN)
                .map(r -> " (" + r.description() + ")")
                .orElse("");
        return "rejected channel " + channelId + ": " + result.status() + " "
                + result.reasonText().orElse("(no reason)") + detail + " apns-request-id " + requestId;
    }

    private void printRequest(
            ApnsServer server,
            String bundleId,
            BroadcastOptions options,
            Credentials credentials,
            Notification notification) {
        PrintWriter out = env.out();
        out.println("POST " + server.origin() + "/4/broadcasts/apps/" + bundleId);
        out.println("apns-channel-id: " + channelId);
        out.println("apns-push-type: liveactivity");
        out.println("apns-expiration: " + options.expiration().getEpochSecond());
        out.println("apns-priority: " + options.priority().headerValue());
        out.println("apns-request-id: " + options.apnsRequestId().orElseThrow());
        out.println(credentials != null ? credentials.describe() : "# no credentials given: not checked");
        out.println("# payload: " + notification.payloadSize() + " bytes of " + Validation.MAX_BROADCAST_PAYLOAD_BYTES
                + " allowed for a broadcast");
        out.println();
        out.println(notification.toJson());
        out.flush();
    }
}
