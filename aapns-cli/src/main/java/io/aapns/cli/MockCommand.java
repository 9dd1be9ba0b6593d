package io.aapns.cli;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aapns mock}: runs the mock APNs server ({@link MockApnsServer}) until stopped, so that one jar serves a
 * developer without Apple credentials. It writes its CA certificate and a client certificate for a topic, and prints
 * them with a {@code send} command line that reaches it.
 */
@Command(
        name = "mock",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Run a mock APNs server on this machine (HTTP/2 over TLS, Apple's validation rules) until"
                + " stopped with Ctrl-C.")
final class MockCommand implements Callable<Integer> {

    static final String P12_PASSWORD = "changeit";
    private static final String SAMPLE_TOKEN = "0123456789abcdef".repeat(4);

    private final CliEnvironment env;

    @Option(
            names = "--port",
            paramLabel = "P",
            defaultValue = "8443",
            description = "the port to listen on (default ${DEFAULT-VALUE}; 0 for any free port)")
    int port;

    @Option(
            names = "--channel-port",
            paramLabel = "P",
            description = "the port of the channel management API (default: the port + 1, or any free port with"
                    + " --port 0)")
    Integer channelPort;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "the address to listen on (default ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--require-client-cert",
            description = "refuse TLS connections without a client certificate from the mock's CA")
    boolean requireClientCert;

    @Option(
            names = "--topic",
            paramLabel = "BUNDLE_ID",
            defaultValue = "com.example.app",
            description = "the bundle id of the client certificate written for you (default ${DEFAULT-VALUE})")
    String topic;

    @Option(
            names = "--development",
            description = "answer with apns-unique-id, as Apple's development environment does")
    boolean development;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "where to write ca.pem and the client certificate (default: a temporary folder)")
    Path out;

    MockCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CliException("--port " + port + " must be between 0 and 65535");
        }
        int channels = channelPort != null ? channelPort : port == 0 || port == 65535 ? 0 : port + 1;
        if (channels < 0 || channels > 65535) {
            throw new CliException("--channel-port " + channels + " must be between 0 and 65535");
        }
        MockApnsServer server;
        try {
            server = MockApnsServer.builder()
                    .host(host)
                    .port(port)
                    .channelPort(channels)
                    .development(development)
                    .requireClientCertificate(requireClientCert)
                    .start();
        } catch (IllegalStateException e) {
            throw new CliException(
                    "cannot listen on " + host + ":" + port + " or " + channels + " (" + CliProblems.message(e)
                            + "): is another server using it? Choose another --port (and --channel-port), or 0 for any free one",
                    ExitCodes.USAGE,
                    e);
        }
        // Ctrl-C: the hook closes the server itself, so there is nothing more to wait for (a zero latch)
        AutoCloseable hook = env.interrupts().onInterrupt(server::close, new CountDownLatch(0), Duration.ZERO);
        try {
            describe(server);
            env.lifetime().await();
            return ExitCodes.OK;
        } finally {
            server.close();
            try {
                hook.close();
            } catch (Exception ignored) {
                // the JVM is already stopping
            }
        }
    }

    private void describe(MockApnsServer server) throws IOException {
        Path folder = out != null
                ? Files.createDirectories(out)
                : server.caCertificateFile().getParent();
        Path ca = folder.resolve("ca.pem");
        if (!ca.equals(server.caCertificateFile())) {
            Files.writeString(ca, server.caCertificatePem());
        }
        MockClientCertificate client = server.issueClientCertificate(topic);
        Path p12 = client.writePkcs12(folder.resolve("client.p12"), P12_PASSWORD.toCharArray());
        Path pem = folder.resolve("client.pem");
        Path key = folder.resolve("client-key.pem");
        client.writePem(pem, key);

        PrintWriter o = env.out();
        o.println("mock APNs server listening on " + server.uri()
                + (requireClientCert ? " (client certificates required)" : ""));
        o.println("CA certificate (give it as --trust): " + ca.toAbsolutePath());
        o.println("client certificate for " + topic + ": " + pem.toAbsolutePath() + " with key " + key.toAbsolutePath()
                + ", or " + p12.toAbsolutePath() + " (password " + P12_PASSWORD + ")");
        o.println("send to it:");
        o.println("  " + selfCommand() + " send --url " + server.uri() + " --trust " + ca.toAbsolutePath()
                + " --cert " + pem.toAbsolutePath() + " --key " + key.toAbsolutePath() + " --title Hello "
                + SAMPLE_TOKEN);
        o.println("channel management (for 'aapns channels ... --management-url'): " + server.channelsUri());
        o.println("  " + selfCommand() + " channels create --management-url " + server.channelsUri() + " --trust "
                + ca.toAbsolutePath() + " --cert " + pem.toAbsolutePath() + " --key " + key.toAbsolutePath());
        o.println("stop it with Ctrl-C");
        o.flush();
    }

    /** How to run this program again: {@code java -jar <this jar>}, or {@code aapns} when not run from a jar. */
    static String selfCommand() {
        try {
            var source = MockCommand.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path location = Path.of(source.getLocation().toURI());
                if (location.getFileName().toString().endsWith(".jar")) {
                    Path here = Path.of("").toAbsolutePath();
                    return "java -jar " + (location.startsWith(here) ? here.relativize(location) : location);
                }
            }
        } catch (Exception ignored) {
            // not a file location
        }
        return "aapns";
    }
}
