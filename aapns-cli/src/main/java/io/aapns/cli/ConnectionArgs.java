package io.aapns.cli;

import io.aapns.api.ApnsServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to APNs shares: credentials (a .p8 signing key, or a client certificate as
 * PKCS#12 or PEM), where to connect, what to trust, how many connections and how long to wait. Credentials and the
 * server may also come from environment variables ({@code APNS_P8}, {@code APNS_KEY_ID}, ...); an option given on the
 * command line wins over its variable.
 */
final class ConnectionArgs {

    @Option(
            names = "--p8",
            paramLabel = "FILE",
            description =
                    "token authentication: the AuthKey_<KEY_ID>.p8 signing key from Apple Developer (env APNS_P8)")
    Path p8;

    @Option(
            names = "--key-id",
            paramLabel = "ID",
            description = "the signing key's 10-character id (env APNS_KEY_ID; read from an AuthKey_<ID>.p8 file name"
                    + " if not given)")
    String keyId;

    @Option(names = "--team-id", paramLabel = "ID", description = "the 10-character team id (env APNS_TEAM_ID)")
    String teamId;

    @Option(
            names = "--cert",
            paramLabel = "FILE",
            description = "certificate authentication: a PKCS#12 file (.p12), or a PEM certificate chain with --key"
                    + " (env APNS_CERT)")
    Path cert;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "the PEM PKCS#8 private key of a PEM --cert (env APNS_KEY)")
    Path key;

    @Option(
            names = "--password-env",
            paramLabel = "VAR",
            description = "read the certificate's (or encrypted key's) password from this environment variable"
                    + " (default: APNS_CERT_PASSWORD when set, else a prompt on a terminal)")
    String passwordEnv;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "read the password from the first line of this file")
    Path passwordFile;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "UNSAFE: the password itself, visible to other users of the machine and kept in shell"
                    + " history; prefer --password-env or --password-file")
    String password;

    @Option(
            names = "--env",
            paramLabel = "ENV",
            description = "production (api.push.apple.com, the default) or development (the sandbox) (env APNS_ENV)")
    String environment;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "another server, https://host:port (a mock server, a proxy); overrides --env (env APNS_URL)")
    String url;

    @Option(
            names = "--alt-port",
            description = "use Apple's port 2197 instead of 443 (for networks that block 443 to Apple)")
    boolean altPort;

    @Option(
            names = "--trust",
            paramLabel = "CA.pem",
            description = "trust these CA certificates instead of the system's (a mock server's ca.pem) (env"
                    + " APNS_TRUST)")
    Path trust;

    @Option(
            names = "--connections",
            paramLabel = "N",
            defaultValue = "1",
            description = "HTTP/2 connections to open (default ${DEFAULT-VALUE}; each carries up to 1000 streams)")
    int connections;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "how long a notification may take, retries included, and how long to wait for a"
                    + " connection (default ${DEFAULT-VALUE})")
    Duration timeout;

    /** Where to connect: --url, else --env (or their variables), with --alt-port. */
    ApnsServer server(CliEnvironment env) {
        String origin = url != null ? url : env.variable("APNS_URL");
        ApnsServer server;
        if (origin != null) {
            try {
                server = ApnsServer.of(URI.create(origin.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliException("--url " + origin + " is not an https origin: write it as https://host:port ("
                        + e.getMessage() + ")");
            }
        } else {
            String name = environment != null ? environment : env.variable("APNS_ENV");
            String n = name == null ? "production" : name.trim().toLowerCase(Locale.ROOT);
            server = switch (n) {
                case "production", "prod" -> ApnsServer.production();
                case "development", "dev", "sandbox" -> ApnsServer.development();
                default ->
                    throw new CliException(
                            "--env " + name + " is not an APNs environment: use production or development");
            };
        }
        return altPort ? server.altPort() : server;
    }

    /** The CA file to trust, checked to exist; null for the system's trust store. */
    Path trust(CliEnvironment env) {
        Path file = trust != null ? trust : pathVariable(env, "APNS_TRUST");
        if (file != null && !Files.isRegularFile(file)) {
            throw new CliException("--trust " + file + ": the CA certificate file does not exist");
        }
        return file;
    }

    /** The number of connections, checked. */
    int connections() {
        if (connections < 1 || connections > 64) {
            throw new CliException("--connections " + connections + " must be between 1 and 64");
        }
        return connections;
    }

    static Path pathVariable(CliEnvironment env, String name) {
        String value = env.variable(name);
        return value == null ? null : Path.of(value);
    }
}
