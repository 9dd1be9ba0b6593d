package io.aapns.mock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a mock APNs server from the command line so that any client can be pointed at it:
 *
 * <pre>
 * java -jar aapns-mock-server/target/aapns-mock-server.jar --port 8443 [--host 127.0.0.1]
 *      [--development] [--require-client-certificate] [--max-streams 1000] [--delay 0ms]
 *      [--client-topic com.example.app] [--out DIR] [--channel-port 8444] [--max-channels 10000]
 *      [--signing-key TEAMID:KEYID:public-key.pem]
 * </pre>
 *
 * It prints where the CA certificate is (and, with {@code --client-topic}, a client certificate for that topic as
 * PKCS#12 with password {@code changeit} and as PEM files), then serves until it is stopped.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        MockApnsServer server = run(args, System.out);
        if (server == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "aapns-mock-shutdown"));
        new CountDownLatch(1).await();
    }

    /**
     * Starts a server as the command line says and prints where it is; returns it running, or null when only the usage
     * was asked for.
     */
    static MockApnsServer run(String[] args, java.io.PrintStream out) throws Exception {
        MockApnsServer.Builder builder = MockApnsServer.builder();
        int port = 8443;
        Integer channelPort = null;
        String clientTopic = null;
        Path outFolder = null;
        Duration delay = Duration.ZERO;
        java.util.List<String[]> keys = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--channel-port" -> channelPort = Integer.parseInt(value(args, ++i, arg));
                case "--max-channels" -> builder.maxChannels(Integer.parseInt(value(args, ++i, arg)));
                case "--host" -> builder.host(value(args, ++i, arg));
                case "--development" -> builder.development(true);
                case "--require-client-certificate" -> builder.requireClientCertificate(true);
                case "--max-streams" -> builder.maxConcurrentStreams(Integer.parseInt(value(args, ++i, arg)));
                case "--delay" -> delay = parseDuration(value(args, ++i, arg));
                case "--client-topic" -> clientTopic = value(args, ++i, arg);
                case "--out" -> outFolder = Path.of(value(args, ++i, arg));
                case "--signing-key" -> keys.add(value(args, ++i, arg).split(":", 3));
                case "--no-record" -> builder.recordRequests(false);
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option: " + arg + "\n" + USAGE);
            }
        }
        builder.port(port).channelPort(channelPort != null ? channelPort : port == 0 ? 0 : port + 1);
        MockApnsServer server = builder.start();
        server.faults().delay(delay);
        for (String[] key : keys) {
            if (key.length != 3) {
                throw new IllegalArgumentException("--signing-key takes TEAMID:KEYID:public-key.pem");
            }
            server.registerSigningKey(key[0], key[1], readPublicKey(Path.of(key[2])));
        }
        Path folder = outFolder != null
                ? Files.createDirectories(outFolder)
                : server.caCertificateFile().getParent();
        Path ca = folder.resolve("ca.pem");
        if (!ca.equals(server.caCertificateFile())) {
            Files.writeString(ca, server.caCertificatePem());
        }
        out.println("mock APNs server listening on " + server.uri());
        out.println("channel management API on " + server.channelsUri());
        out.println("CA certificate: " + ca.toAbsolutePath());
        if (clientTopic != null) {
            MockClientCertificate client = server.issueClientCertificate(clientTopic);
            Path p12 = client.writePkcs12(folder.resolve("client.p12"), "changeit".toCharArray());
            client.writePem(folder.resolve("client.pem"), folder.resolve("client-key.pem"));
            out.println("client certificate for " + clientTopic + ": " + p12.toAbsolutePath()
                    + " (password changeit), " + folder.resolve("client.pem").toAbsolutePath() + " + "
                    + folder.resolve("client-key.pem").toAbsolutePath());
        }
        out.flush();
        return server;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(t));
    }

    private static PublicKey readPublicKey(Path pem) throws IOException, java.security.GeneralSecurityException {
        String text = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
    }

    private static final String USAGE = """
                usage: java -jar aapns-mock-server.jar [options]
                  --port N                       port to listen on (default 8443; 0 = any free port)
                  --channel-port N               channel management API (default --port + 1; 0 = any)
                  --max-channels N               channels per app (default 10000, Apple's limit)
                  --host ADDRESS                 127.0.0.1 (default) or ::1
                  --development                  answer with apns-unique-id, as the sandbox does
                  --require-client-certificate   refuse TLS without a client certificate from the mock CA
                  --max-streams N                SETTINGS_MAX_CONCURRENT_STREAMS (default 1000)
                  --delay 250ms                  delay every answer
                  --client-topic BUNDLE_ID       also write a client certificate for that topic
                  --signing-key TEAM:KEY:pub.pem require ES256 provider tokens signed by that key
                  --out DIR                      where to write ca.pem and client certificates
                  --no-record                    do not keep requests in memory (long load runs)
                """;
}
