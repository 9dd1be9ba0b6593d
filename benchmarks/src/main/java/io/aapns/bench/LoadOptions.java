package io.aapns.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/** The command line of {@code aapns-load}, parsed and checked. */
final class LoadOptions {

    static final String USAGE = String.join(
            "\n",
            "usage: java -jar benchmarks/target/aapns-load.jar",
            "         (--url https://HOST:PORT | --embedded)",
            "         [--cert client.p12 --password PW | --p8 key.p8 --key-id K --team-id T]",
            "         [--trust ca.pem | --insecure] --topic BUNDLE_ID",
            "         [--connections N] [--concurrency N] [--count N] [--warmup N]",
            "         [--payload file.json] [--token HEX] [--client aapns|pushy]",
            "         [--server-threads N] [--progress-seconds S] [--max-pending N] [--stall]",
            "         [--kafka [--bootstrap-servers HOST:PORT] [--partitions N] [--consumers N] [--max-poll-records N]",
            "          [--no-results]]",
            "",
            "  --url               the APNs origin (a mock server, nginx, ...); not with --embedded",
            "  --embedded          start an aapns-mock-server in this JVM (recording off) with a client",
            "                      certificate it issues; note that cpu= then includes the server's CPU",
            "  --cert, --password  certificate authentication with a PKCS#12 file",
            "  --p8, --key-id, --team-id  token authentication with a .p8 signing key",
            "  --trust             trust the CA certificates in this PEM file",
            "  --insecure          trust whatever certificate chain the server presents (loopback tests)",
            "  --topic             the apns-topic (bundle id)",
            "  --connections       HTTP/2 connections (default 1)",
            "  --concurrency       notifications in flight at most (default 1000)",
            "  --count             notifications measured (default 100000)",
            "  --warmup            notifications sent first and not measured (default 0)",
            "  --payload           the JSON payload to send (default: a typical alert of ~100 bytes)",
            "  --token             the device token, hex (default: a fixed 64-digit token)",
            "  --client            aapns (default) or pushy (Pushy 0.15.4, same settings)",
            "  --server-threads    event loop threads of the --embedded server (default 1)",
            "  --progress-seconds  seconds between progress lines (default 1)",
            "  --max-pending       aapns: notifications that may wait for a stream (default: the larger",
            "                      of 10000 and --concurrency); beyond it send fails fast (BlockedException)",
            "  --stall             with --embedded and aapns: the server reads every request and answers",
            "                      none; all --count notifications are sent at once (no --concurrency",
            "                      bound, no warm-up) to show the memory bound. Last line:",
            "                      stall: sent=<n> in-flight=<n> queued=<n> blocked=<n> other=<n>",
            "                      heap-before=<MB> heap-after=<MB> bytes-per-waiting=<n>",
            "  --kafka             aapns: through the Kafka worker (aapns-kafka) instead of the client",
            "                      directly: --warmup + --count push requests (distinct tokens) are",
            "                      published first, then one worker sends them with --concurrency as its",
            "                      max-in-flight; measured (counts too) from the first reading of the",
            "                      worker's counters (every 2 ms) at or past the warm-up to the last",
            "                      outcome, so the counts may fall a few short of --count.",
            "                      Last line: kafka: throughput=<n>/s accepted=<n> rejected=<n>",
            "                      failed=<n> dead-lettered=<n> pauses=<n> seconds=<s> cpu=<us>/notification",
            "  --bootstrap-servers with --kafka: a running Kafka (default: a one-node KRaft broker started",
            "                      in a child JVM, whose CPU is not counted)",
            "  --partitions        with --kafka: partitions of the requests topic (default 6)",
            "  --consumers         with --kafka: the worker's consumer threads (default 1)",
            "  --max-poll-records  with --kafka: the consumers' max.poll.records (default: the worker's)",
            "  --no-results        with --kafka: do not write outcomes to a results topic",
            "",
            "Before the warm-up one notification is sent alone: start: built in <ms>, ready at <ms>,",
            "first answer (<outcome>) at <ms>, counted from the start of the client's build.",
            "The last line is: throughput=<n>/s accepted=<n> rejected=<n> failed=<n> p50=<ms> p99=<ms>"
                    + " seconds=<s> cpu=<us>/notification",
            "Exit status: 0 if no notification failed, 1 if some failed, 2 for bad arguments.");

    /** The options that only --kafka takes. */
    private static final java.util.Set<String> KAFKA_ONLY = java.util.Set.of(
            "--bootstrap-servers", "--partitions", "--consumers", "--max-poll-records", "--no-results");

    static final String DEFAULT_PAYLOAD = "{\"aps\":{\"alert\":{\"title\":\"Game request\",\"body\":"
            + "\"Bob wants to play poker\"},\"badge\":5,\"sound\":\"default\"},\"game-id\":\"42\"}";
    static final String DEFAULT_TOKEN = "5b1a0c0e7f3d4c2b8a9e6f1d0c3b2a19" + "8f7e6d5c4b3a29180f1e2d3c4b5a6978";

    enum Client {
        AAPNS,
        PUSHY
    }

    URI url;
    boolean embedded;
    Path cert;
    String password;
    Path p8;
    String keyId;
    String teamId;
    Path trust;
    boolean insecure;
    String topic;
    int connections = 1;
    int concurrency = 1000;
    int count = 100_000;
    int warmup;
    Path payload;
    String token = DEFAULT_TOKEN;
    Client client = Client.AAPNS;
    int serverThreads = 1;
    double progressSeconds = 1;
    int maxPending = -1;
    boolean stall;
    boolean kafka;
    String bootstrapServers;
    int partitions = 6;
    int consumers = 1;
    int maxPollRecords;
    boolean kafkaResults = true;
    private boolean tokenSet;
    private boolean kafkaOnlySet;

    /** The pool's bound on waiting notifications: --max-pending, or the larger of 10 000 and --concurrency. */
    int maxPending() {
        return maxPending > 0 ? maxPending : Math.max(10_000, concurrency);
    }

    /** Thrown for a bad command line; the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static LoadOptions parse(String... args) throws UsageException {
        LoadOptions o = new LoadOptions();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (KAFKA_ONLY.contains(arg)) {
                o.kafkaOnlySet = true;
            }
            switch (arg) {
                case "--url" -> o.url = parseUrl(value(args, ++i, arg));
                case "--embedded" -> o.embedded = true;
                case "--cert" -> o.cert = Path.of(value(args, ++i, arg));
                case "--password" -> o.password = value(args, ++i, arg);
                case "--p8" -> o.p8 = Path.of(value(args, ++i, arg));
                case "--key-id" -> o.keyId = value(args, ++i, arg);
                case "--team-id" -> o.teamId = value(args, ++i, arg);
                case "--trust" -> o.trust = Path.of(value(args, ++i, arg));
                case "--insecure" -> o.insecure = true;
                case "--topic" -> o.topic = value(args, ++i, arg);
                case "--connections" -> o.connections = positiveInt(args, ++i, arg);
                case "--concurrency" -> o.concurrency = positiveInt(args, ++i, arg);
                case "--count" -> o.count = positiveInt(args, ++i, arg);
                case "--warmup" -> o.warmup = nonNegativeInt(args, ++i, arg);
                case "--payload" -> o.payload = Path.of(value(args, ++i, arg));
                case "--token" -> {
                    o.token = value(args, ++i, arg);
                    o.tokenSet = true;
                }
                case "--client" -> o.client = parseClient(value(args, ++i, arg));
                case "--server-threads" -> o.serverThreads = positiveInt(args, ++i, arg);
                case "--progress-seconds" -> {
                    String v = value(args, ++i, arg);
                    try {
                        o.progressSeconds = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new UsageException(arg + " takes a number of seconds, got '" + v + "'");
                    }
                    if (!(o.progressSeconds > 0)) {
                        throw new UsageException(arg + " must be positive");
                    }
                }
                case "--max-pending" -> o.maxPending = positiveInt(args, ++i, arg);
                case "--stall" -> o.stall = true;
                case "--kafka" -> o.kafka = true;
                case "--bootstrap-servers" -> o.bootstrapServers = value(args, ++i, arg);
                case "--partitions" -> o.partitions = positiveInt(args, ++i, arg);
                case "--consumers" -> o.consumers = positiveInt(args, ++i, arg);
                case "--max-poll-records" -> o.maxPollRecords = positiveInt(args, ++i, arg);
                case "--no-results" -> o.kafkaResults = false;
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        o.check();
        return o;
    }

    private void check() throws UsageException {
        if (embedded == (url != null)) {
            throw new UsageException(
                    embedded
                            ? "--embedded starts its own server: leave out --url"
                            : "say where to send: --url https://HOST:PORT, or --embedded");
        }
        if (topic == null) {
            throw new UsageException("--topic is required (the app's bundle id, such as com.example.app)");
        }
        boolean certAuth = cert != null || password != null;
        boolean tokenAuth = p8 != null || keyId != null || teamId != null;
        if (certAuth && tokenAuth) {
            throw new UsageException("choose certificate (--cert, --password) or token (--p8, --key-id, --team-id)"
                    + " authentication, not both");
        }
        if (embedded) {
            if (certAuth || tokenAuth || trust != null || insecure) {
                throw new UsageException("--embedded issues its own client certificate and trusts its own CA: leave out"
                        + " --cert, --password, --p8, --key-id, --team-id, --trust and --insecure");
            }
        } else {
            if (!certAuth && !tokenAuth) {
                throw new UsageException("credentials are required: --cert client.p12 --password PW, or"
                        + " --p8 key.p8 --key-id K --team-id T");
            }
            if (certAuth && (cert == null || password == null)) {
                throw new UsageException("certificate authentication takes both --cert and --password");
            }
            if (tokenAuth && (p8 == null || keyId == null || teamId == null)) {
                throw new UsageException("token authentication takes --p8, --key-id and --team-id");
            }
            if (trust != null && insecure) {
                throw new UsageException("--trust and --insecure exclude each other");
            }
        }
        if (stall && (!embedded || client != Client.AAPNS)) {
            throw new UsageException("--stall needs --embedded and --client aapns: it stalls the embedded mock server"
                    + " and reads the aapns pool's counters");
        }
        if (kafka && (stall || client != Client.AAPNS || tokenSet)) {
            throw new UsageException("--kafka runs the aapns worker, which sends to a distinct token per request:"
                    + " leave out --stall, --client pushy and --token");
        }
        if (!kafka && kafkaOnlySet) {
            throw new UsageException(
                    "--bootstrap-servers, --partitions, --consumers, --max-poll-records and --no-results go"
                            + " with --kafka");
        }
        if (token.isEmpty() || token.length() % 2 != 0 || !token.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new UsageException("--token must be an even number of hex digits, got '" + token + "'");
        }
    }

    private static String value(String[] args, int i, String name) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String[] args, int i, String name) throws UsageException {
        int v = nonNegativeInt(args, i, name);
        if (v == 0) {
            throw new UsageException(name + " must be at least 1");
        }
        return v;
    }

    private static int nonNegativeInt(String[] args, int i, String name) throws UsageException {
        String v = value(args, i, name);
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n < 0) {
                throw new UsageException(name + " must not be negative, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, got '" + v + "'");
        }
    }

    private static URI parseUrl(String v) throws UsageException {
        try {
            URI u = URI.create(v);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new UsageException("--url must be https://HOST[:PORT], got '" + v + "'");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url is not a URL: '" + v + "'");
        }
    }

    private static Client parseClient(String v) throws UsageException {
        try {
            return Client.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--client is aapns or pushy, got '" + v + "'");
        }
    }
}
