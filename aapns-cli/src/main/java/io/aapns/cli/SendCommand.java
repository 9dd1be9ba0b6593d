package io.aapns.cli;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.model.PushType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aapns send}: one notification to one or more device tokens, given as arguments or one per line of a file or
 * standard input, through an {@link ApnsClient}; or, with {@code --dry-run}, the request it would make.
 */
@Command(
        name = "send",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Send a notification to device tokens through APNs.",
        footer = {
            "",
            "Environment: APNS_P8, APNS_KEY_ID, APNS_TEAM_ID, APNS_CERT, APNS_KEY, APNS_CERT_PASSWORD, APNS_ENV,"
                    + " APNS_URL, APNS_TRUST, APNS_TOPIC stand in for options not given.",
            "Exit status: 0 all accepted, 1 any rejected, 2 usage or validation error, 3 a notification without an"
                    + " answer."
        })
final class SendCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(paramLabel = "TOKEN", arity = "0..*", description = "device tokens (hex)")
    List<String> tokens = new ArrayList<>();

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description = "read device tokens from a file, one per line ('-' for standard input)")
    String tokensFile;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            defaultValue = "100",
            description = "notifications in flight at most (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "write every result as a JSON line to FILE ('-' for standard output)")
    String output;

    @Option(names = "--dry-run", description = "print the request (headers and JSON body) and check it; send nothing")
    boolean dryRun;

    @Option(
            names = "--mock",
            description = "send to a mock APNs server started for this run on 127.0.0.1, with a client certificate it"
                    + " issues for --topic (default com.example.app): try the command without Apple credentials")
    boolean mock;

    @Option(names = "--no-progress", description = "no progress lines on standard error during a bulk send")
    boolean noProgress;

    @Option(
            names = "--progress-interval",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "how often a progress line is written when standard error is not a terminal (default"
                    + " ${DEFAULT-VALUE})")
    Duration progressInterval;

    @Mixin
    NotificationArgs notification;

    @Mixin
    HeaderArgs headers;

    @Mixin
    ConnectionArgs connection;

    SendCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (!mock) {
            return send();
        }
        if (connection.url != null
                || connection.p8 != null
                || connection.cert != null
                || connection.trust != null
                || connection.environment != null) {
            throw new CliException("--mock starts its own server and credentials: leave out --url, --env, --trust,"
                    + " --p8 and --cert");
        }
        if (headers.topic == null) {
            headers.topic = "com.example.app";
        }
        MockApnsServer server = MockApnsServer.builder().development(true).start();
        try {
            Path folder = server.caCertificateFile().getParent();
            MockClientCertificate client = server.issueClientCertificate(headers.topic);
            Path pem = folder.resolve("client.pem");
            Path key = folder.resolve("client-key.pem");
            client.writePem(pem, key);
            connection.url = server.uri().toString();
            connection.trust = server.caCertificateFile();
            connection.cert = pem;
            connection.key = key;
            env.err().println("sending to a mock APNs server at " + server.uri() + " (--mock)");
            return send();
        } finally {
            server.close();
        }
    }

    private int send() throws Exception {
        checkTokenOptions();
        headers.fixedApnsId();
        headers.priority();
        headers.expiration();
        NotificationArgs.Built built = notification.build(env);
        PushType pushType = headers.pushType != null ? headers.pushType : built.inferredPushType();
        ApnsServer server = connection.server(env);
        Path trust = connection.trust(env);
        int connections = connection.connections();
        Credentials credentials = Credentials.read(connection, env, !dryRun);
        String topic = topic(credentials);
        DryRun check =
                new DryRun(server, built.notification(), pushType, topic, headers, credentials, connection.timeout);
        check.checkNotification();
        List<String> given = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            given.add(DryRun.checkToken(token));
        }
        if (dryRun) {
            return dryRun(check, given);
        }
        ApnsClient.Builder builder = ApnsClient.builder()
                .server(server)
                .topic(topic)
                .poolSize(connections)
                .requestTimeout(connection.timeout)
                .connectTimeout(connection.timeout)
                .startTimeout(connection.timeout)
                .maxPending(Math.max(10_000, concurrency));
        AttemptCounter attempts = new AttemptCounter();
        builder.listener(attempts);
        credentials.applyTo(builder);
        if (trust != null) {
            builder.trustedCertificates(trust);
        }
        ApnsClient client = builder.build();
        try {
            awaitConnection(client, server);
            return send(client, built, pushType, given, attempts);
        } finally {
            close(client);
        }
    }

    private static void close(ApnsClient client) throws InterruptedException {
        try {
            client.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
        }
    }

    private void checkTokenOptions() {
        if (tokens.isEmpty() && tokensFile == null) {
            throw new CliException("no device token: give one or more tokens, or --tokens FILE (- for standard input)");
        }
        if (!tokens.isEmpty() && tokensFile != null) {
            throw new CliException("give device tokens as arguments or with --tokens, not both");
        }
        if (tokensFile != null && !"-".equals(tokensFile) && !Files.isRegularFile(Path.of(tokensFile))) {
            throw new CliException("--tokens " + tokensFile + ": the file does not exist (give one token per line, or"
                    + " - for standard input)");
        }
        if ("-".equals(tokensFile) && "-".equals(notification.payload)) {
            throw new CliException("--tokens - and --payload - both read standard input: put one of them in a file");
        }
        if (concurrency < 1 || concurrency > 100_000) {
            throw new CliException("--concurrency " + concurrency + " must be between 1 and 100000");
        }
        if (headers.apnsId != null && (tokensFile != null || tokens.size() > 1)) {
            throw new CliException("--apns-id names one notification: use it with a single token");
        }
    }

    private String topic(Credentials credentials) {
        String topic = headers.topic != null ? headers.topic : env.variable("APNS_TOPIC");
        if (topic == null && credentials != null) {
            topic = credentials.certificateTopic();
        }
        if (topic == null) {
            throw new CliException("no topic: give --topic BUNDLE_ID (the app's bundle id), or set APNS_TOPIC");
        }
        return topic;
    }

    private int dryRun(DryRun check, List<String> given) throws InterruptedException {
        PrintWriter out = env.out();
        if (tokensFile == null) {
            for (int i = 0; i < given.size(); i++) {
                if (i > 0) {
                    out.println();
                }
                check.print(given.get(i), out);
            }
            env.err().println("dry run: valid; nothing was sent");
            env.err().flush();
            return ExitCodes.OK;
        }
        long valid = 0;
        long invalid = 0;
        AtomicBoolean never = new AtomicBoolean();
        try (TokenSource source = tokenSource()) {
            for (String raw = source.next(never); raw != null; raw = source.next(never)) {
                try {
                    String token = DryRun.checkToken(raw);
                    if (valid++ == 0) {
                        check.print(token, out);
                    }
                } catch (CliException e) {
                    invalid++;
                    env.err().println("invalid " + raw + ": " + e.getMessage());
                }
            }
        }
        env.err().println("dry run: " + valid + " valid token(s), " + invalid + " invalid; nothing was sent");
        env.err().flush();
        return invalid > 0 || valid == 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }

    private TokenSource tokenSource() {
        return "-".equals(tokensFile) ? TokenSource.of(env.in()) : TokenSource.of(Path.of(tokensFile));
    }

    /** Waits for the first connection, so that a wrong URL, trust or credential is told once, clearly. */
    private void awaitConnection(ApnsClient client, ApnsServer server) throws InterruptedException {
        Connecting.await(client.ready(), connection.timeout, server.origin(), "--url or --env");
    }

    private int send(
            ApnsClient client,
            NotificationArgs.Built built,
            PushType pushType,
            List<String> given,
            AttemptCounter attempts)
            throws Exception {
        boolean bulk = tokensFile != null;
        Tally tally = new Tally();
        PrintWriter json = null;
        boolean ownJson = false;
        if ("-".equals(output)) {
            json = env.out();
        } else if (output != null) {
            try {
                json = new PrintWriter(Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8));
                ownJson = true;
            } catch (IOException e) {
                throw new CliException("cannot write --output " + output + ": " + e.getMessage(), ExitCodes.USAGE, e);
            }
        }
        PrintWriter text = output == null ? env.out() : null;
        ResultSink sink = new ResultSink(json, text, !bulk, tally);
        BulkSend sender = new BulkSend(
                client, built.notification(), pushType, headers, connection.timeout, concurrency, sink, attempts);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        AutoCloseable hook =
                env.interrupts().onInterrupt(() -> stop.set(true), finished, connection.timeout.plusSeconds(30));
        long start = System.nanoTime();
        try (TokenSource source = bulk ? tokenSource() : TokenSource.of(given)) {
            Progress progress = bulk && !noProgress
                    ? Progress.start(env.err(), env.terminal(), progressInterval, tally, sender::sent, source.total())
                    : null;
            try {
                sender.run(source, stop);
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
            if (bulk || given.size() > 1 || output != null || stop.get()) {
                summary(tally, System.nanoTime() - start, stop.get());
            }
            return tally.exitCode();
        } finally {
            if (ownJson) {
                json.close();
            }
            env.out().flush();
            env.err().flush();
            finished.countDown();
            try {
                hook.close();
            } catch (Exception ignored) {
                // the JVM is already stopping
            }
        }
    }

    private void summary(Tally tally, long nanos, boolean interrupted) {
        PrintWriter err = env.err();
        double seconds = nanos / 1e9;
        err.println(String.format(
                Locale.ROOT,
                "%d notification(s) in %.1f s (%.0f/s): %d accepted, %d rejected, %d without an answer, %d invalid"
                        + " token(s)",
                tally.done(),
                seconds,
                tally.done() / Math.max(seconds, 1e-3),
                tally.accepted(),
                tally.rejected(),
                tally.failed(),
                tally.invalid()));
        Map<String, Long> reasons = tally.reasons();
        if (!reasons.isEmpty()) {
            StringBuilder sb = new StringBuilder("rejected:");
            reasons.forEach((reason, n) ->
                    sb.append(' ').append(reason).append(" x").append(n).append(','));
            sb.setLength(sb.length() - 1);
            err.println(sb);
        }
        if (interrupted) {
            err.println("interrupted: no more tokens were taken; every notification sent is reported above");
        }
        err.flush();
    }
}
