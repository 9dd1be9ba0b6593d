package io.aapns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, as a user runs it: {@code java -jar target/aapns.jar}. Runs after {@code package} (the
 * integration-test phase of {@code mvn verify}); one {@code aapns mock} process serves the sends.
 */
class AapnsJarIT {

    static final Path JAR = Path.of(System.getProperty("aapns.cli.jar", "target/aapns.jar"));
    static final Pattern URL = Pattern.compile("listening on (https://\\S+)");
    static final Pattern MANAGEMENT_URL = Pattern.compile("channel management .*: (https://\\S+)");

    @TempDir
    static Path dir;

    static Process mock;
    static String url;
    static String managementUrl;

    /** What a run of the jar did. */
    record Result(int exitCode, String out, String err) {}

    @BeforeAll
    static void startMock() throws Exception {
        assertThat(JAR).as("the jar is built by package, before this runs").isRegularFile();
        mock = new ProcessBuilder(java(), "-jar", JAR.toString(), "mock", "--port", "0", "--out", dir.toString())
                .redirectError(dir.resolve("mock.err").toFile())
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line = out.readLine(); line != null && lines.size() < 20; line = out.readLine()) {
            lines.add(line);
            Matcher m = URL.matcher(line);
            if (m.find()) {
                url = m.group(1);
            }
            Matcher management = MANAGEMENT_URL.matcher(line);
            if (management.find()) {
                managementUrl = management.group(1);
            }
            if (line.contains("stop it with Ctrl-C")) {
                break;
            }
        }
        assertThat(url).as("the mock printed its URL: " + lines).isNotNull();
        assertThat(managementUrl)
                .as("the mock printed its channel origin: " + lines)
                .isNotNull();
    }

    @AfterAll
    static void stopMock() throws Exception {
        if (mock != null) {
            mock.destroy(); // SIGTERM: the shutdown hook closes the server
            assertThat(mock.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("APNS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("aapns " + String.join(" ", args) + " ends")
                .isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String[] send(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "send",
                "--url",
                url,
                "--trust",
                dir.resolve("ca.pem").toString(),
                "--cert",
                dir.resolve("client.pem").toString(),
                "--key",
                dir.resolve("client-key.pem").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static String[] withCertificate(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--trust",
                dir.resolve("ca.pem").toString(),
                "--cert",
                dir.resolve("client.pem").toString(),
                "--key",
                dir.resolve("client-key.pem").toString()));
        return all.toArray(String[]::new);
    }

    @Test
    void aChannelIsCreatedBroadcastToAndDeleted() throws Exception {
        Result created = run(Map.of(), withCertificate("channels", "create", "--management-url", managementUrl));
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.out().strip();

        Result accepted =
                run(Map.of(), withCertificate("broadcast", id, "--url", url, "--content-state", "{\"home\":1}"));
        Result deleted = run(Map.of(), withCertificate("channels", "delete", id, "--management-url", managementUrl));
        Result rejected =
                run(Map.of(), withCertificate("broadcast", id, "--url", url, "--content-state", "{\"home\":2}"));

        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(accepted.out()).startsWith("accepted channel " + id + " apns-request-id ");
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(rejected.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(rejected.out()).startsWith("rejected channel " + id + ": 400 ChannelNotRegistered");
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = run(Map.of(), "--version");
        Result help = run(Map.of(), "send", "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("aapns 0.1.0-SNAPSHOT");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--tokens=FILE");
    }

    @Test
    void aSendIsAccepted() throws Exception {
        Result result = run(Map.of(), send("--title", "Hello", "--body", "from the jar", "ab".repeat(32)));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("accepted " + "ab".repeat(32));
        assertThat(result.err()).as("no log noise").isEmpty();
    }

    @Test
    void theReadmesOneCommandSendsToAnEmbeddedMock() throws Exception {
        Result result = run(Map.of(), "send", "--mock", "--title", "Hello", "0123456789abcdef".repeat(4));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("accepted " + "0123456789abcdef".repeat(4));
    }

    @Test
    void aRejectedSendExitsOneWithTheReason() throws Exception {
        // hex and even, so the client sends it; shorter than Apple's 64 digits, so the server refuses it
        Result result = run(Map.of(), send("--body", "hi", "abcd1234"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(result.out()).contains("rejected abcd1234: 400 BadDeviceToken");
    }

    @Test
    void aBulkSendFromAFileWritesJsonLines() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            tokens.add(String.format("%064x", i + 1));
        }
        Path file = Files.write(dir.resolve("tokens.txt"), tokens);

        Result result = run(
                Map.of(), send("--body", "hi", "--tokens", file.toString(), "--concurrency", "50", "--output", "-"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines().filter(l -> l.contains("\"outcome\":\"accepted\"")))
                .hasSize(500);
        assertThat(result.err()).contains("500 accepted");
    }

    @Test
    void aUsageErrorExitsTwo() throws Exception {
        Result result = run(Map.of(), "send", "--body", "hi", "--topic", "com.example.app", "00");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no credentials");
    }

    @Test
    void theSimulatorCommandRunsXcrunFromThePath() throws Exception {
        Path bin = dir.resolve("bin");
        CliTesting.fakeXcrun(bin, "");

        Result result = run(
                Map.of("PATH", bin + ":" + System.getenv("PATH")),
                "simulator",
                "booted",
                "com.example.app",
                "--title",
                "Hi");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.readAllLines(bin.resolve("args.txt")).subList(0, 4))
                .containsExactly("simctl", "push", "booted", "com.example.app");
        assertThat(Files.readString(bin.resolve("payload.json")))
                .isEqualTo("{\"Simulator Target Bundle\":\"com.example.app\",\"aps\":{\"alert\":{\"title\":\"Hi\"}}}");
    }
}
