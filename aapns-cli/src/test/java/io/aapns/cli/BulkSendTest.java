package io.aapns.cli;

import static io.aapns.cli.CliTesting.TOPIC;
import static io.aapns.cli.CliTesting.cli;
import static io.aapns.cli.CliTesting.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.cli.CliTesting.FakeInterrupts;
import io.aapns.cli.CliTesting.Run;
import io.aapns.mock.MockApnsServer;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code aapns send --tokens}: a file (or standard input) of tokens, results as JSON lines, Ctrl-C. */
class BulkSendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static MockApnsServer mock;

    @TempDir
    static Path dir;

    static Path p12;

    @BeforeAll
    static void start() throws Exception {
        mock = MockApnsServer.builder().start();
        p12 = mock.issueClientCertificate(TOPIC).writePkcs12(dir.resolve("client.p12"), "secret".toCharArray());
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    @BeforeEach
    void reset() {
        mock.reset();
    }

    static List<String> base() {
        return List.of(
                "send",
                "--url",
                mock.uri().toString(),
                "--trust",
                mock.caCertificateFile().toString(),
                "--cert",
                p12.toString(),
                "--password-env",
                "P12_PASSWORD",
                "--title",
                "Sale",
                "--body",
                "Everything must go");
    }

    static List<JsonNode> jsonLines(String text) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void tenThousandTokensFromAFileAreAllSentAndCounted() throws Exception {
        List<String> tokens = new ArrayList<>();
        tokens.add("# campaign 42");
        for (int i = 0; i < 10_000; i++) {
            tokens.add(token(i));
            if (i % 1000 == 0) {
                tokens.add("");
            }
        }
        Path file = Files.write(dir.resolve("tokens.txt"), tokens);
        Set<String> gone = Set.of(token(17), token(4711), token(9999));
        gone.forEach(t -> mock.markUnregistered(t, Instant.parse("2026-01-01T00:00:00Z")));
        Path results = dir.resolve("results.jsonl");

        Run run = cli().env("P12_PASSWORD", "secret")
                .run(CliTesting.args(
                        base(),
                        "--connections",
                        "2",
                        "--concurrency",
                        "500",
                        "--progress-interval",
                        "100ms",
                        "--tokens",
                        file.toString(),
                        "--output",
                        results.toString()));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.REJECTED);
        List<JsonNode> lines = jsonLines(Files.readString(results));
        assertThat(lines).hasSize(10_000);
        Map<String, Long> outcomes = lines.stream()
                .collect(Collectors.groupingBy(n -> n.get("outcome").asString(), Collectors.counting()));
        assertThat(outcomes).containsOnly(Map.entry("accepted", 9_997L), Map.entry("rejected", 3L));
        Set<String> seen = new HashSet<>();
        lines.forEach(n -> seen.add(n.get("token").asString()));
        assertThat(seen).hasSize(10_000).contains(token(0), token(9999));
        JsonNode rejected = lines.stream()
                .filter(n -> n.get("token").asString().equals(token(4711)))
                .findFirst()
                .orElseThrow();
        assertThat(rejected.get("status").asInt()).isEqualTo(410);
        assertThat(rejected.get("reason").asString()).isEqualTo("Unregistered");
        assertThat(rejected.get("unregistered-since").asString()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(rejected.get("attempts").asInt()).isEqualTo(1);
        assertThat(rejected.get("apns-id").asString()).hasSize(36);
        assertThat(rejected.get("timestamp").asString()).isNotBlank();
        assertThat(mock.requests()).hasSize(10_000);
        assertThat(run.err())
                .contains("10000 notification(s)")
                .contains("9997 accepted, 3 rejected, 0 without an answer, 0 invalid token(s)")
                .contains("rejected: 410 Unregistered x3");
        assertThat(run.out()).as("results go to the file").isEmpty();
    }

    @Test
    void invalidLinesAreReportedAndTheRestSent() throws Exception {
        Path file = Files.write(dir.resolve("some-bad.txt"), List.of(token(1), "not-a-token", token(2), "abc"));

        Run run = cli().env("P12_PASSWORD", "secret")
                .run(CliTesting.args(base(), "--no-progress", "--tokens", file.toString(), "--output", "-"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        List<JsonNode> lines = jsonLines(run.out());
        assertThat(lines).hasSize(4);
        assertThat(lines.stream().filter(n -> n.get("outcome").asString().equals("invalid")))
                .extracting(n -> n.get("token").asString())
                .containsExactlyInAnyOrder("not-a-token", "abc");
        assertThat(mock.acceptedRequests()).hasSize(2);
        assertThat(run.err()).contains("2 accepted, 0 rejected, 0 without an answer, 2 invalid token(s)");
    }

    @Test
    void tokensFromStandardInputPrintOnlyWhatWentWrong() {
        mock.markExpired(token(2));
        String input = token(1) + "\n" + token(2) + "\n" + token(3) + "\n";

        Run run = cli().env("P12_PASSWORD", "secret")
                .in(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
                .run(CliTesting.args(base(), "--tokens", "-"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.outLines()).hasSize(1);
        assertThat(run.out()).startsWith("rejected " + token(2) + ": 410 ExpiredToken");
        assertThat(run.err()).contains("3 notification(s)");
    }

    @Test
    void ctrlCStopsTakingTokensAndStillReportsEverythingSent() throws Exception {
        FakeInterrupts interrupts = new FakeInterrupts();
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(feed, 64 * 1024);
        CliTesting.Cli cli = cli().env("P12_PASSWORD", "secret").in(stdin).interrupts(interrupts);
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                () -> cli.run(CliTesting.args(base(), "--no-progress", "--tokens", "-", "--output", "-")));
        try {
            StringBuilder first = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                first.append(token(i)).append('\n');
            }
            feed.write(first.toString().getBytes(StandardCharsets.US_ASCII));
            feed.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> mock.requests().size() == 50);
            assertThat(interrupts.installed.await(30, TimeUnit.SECONDS)).isTrue();

            java.util.concurrent.CountDownLatch finished = interrupts.press();

            Run run = running.get(60, TimeUnit.SECONDS);
            assertThat(finished.getCount()).as("the hook may let the JVM end").isZero();
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(jsonLines(run.out())).hasSize(50);
            assertThat(run.err()).contains("50 notification(s)").contains("interrupted: no more tokens were taken");
        } finally {
            feed.close();
        }
        // standard input is still open when Ctrl-C comes: nothing after it was sent
        assertThat(mock.requests()).hasSize(50);
    }
}
