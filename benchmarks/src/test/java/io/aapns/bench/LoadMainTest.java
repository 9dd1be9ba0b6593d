package io.aapns.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs aapns-load in-process against its embedded mock server: format and counts, never speed. */
class LoadMainTest {

    static final Pattern LAST_LINE = Pattern.compile(
            "throughput=(\\d+)/s accepted=(\\d+) rejected=(\\d+) failed=(\\d+)"
                    + " p50=(\\d+(?:\\.\\d+)?) p99=(\\d+(?:\\.\\d+)?) seconds=(\\d+(?:\\.\\d+)?) cpu=(\\d+(?:\\.\\d+)?)/notification");

    record Run(int code, List<String> out, String err) {
        String last() {
            return out.isEmpty() ? "" : out.get(out.size() - 1);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = LoadMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(
                code, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void embeddedRunWithAapnsEndsWithTheResultLine() {
        Run r = run(
                "--embedded",
                "--topic",
                "com.example.app",
                "--connections",
                "2",
                "--concurrency",
                "1000",
                "--count",
                "20000",
                "--warmup",
                "2000",
                "--progress-seconds",
                "0.5");

        assertThat(r.code()).as("exit status; stderr: %s", r.err()).isZero();
        Matcher m = LAST_LINE.matcher(r.last());
        assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
        assertThat(m.group(2)).isEqualTo("20000");
        assertThat(m.group(3)).isEqualTo("0");
        assertThat(m.group(4)).isEqualTo("0");
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(Double.parseDouble(m.group(8))).isPositive();
        assertThat(Double.parseDouble(m.group(6))).isGreaterThanOrEqualTo(Double.parseDouble(m.group(5)));
        assertThat(r.out()).anyMatch(line -> line.startsWith("aapns-load: aapns"));
        assertThat(r.out())
                .anyMatch(line -> line.matches("start: built in \\d+\\.\\d ms, ready at \\d+\\.\\d ms,"
                        + " first answer \\(accepted\\) at \\d+\\.\\d ms"));
    }

    @Test
    void embeddedRunWithPushyEndsWithTheResultLine() {
        Run r = run(
                "--embedded",
                "--client",
                "pushy",
                "--topic",
                "com.example.app",
                "--connections",
                "1",
                "--concurrency",
                "200",
                "--count",
                "2000",
                "--warmup",
                "200");

        assertThat(r.code()).as("exit status; stderr: %s", r.err()).isZero();
        Matcher m = LAST_LINE.matcher(r.last());
        assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
        assertThat(m.group(2)).isEqualTo("2000");
        assertThat(r.out()).anyMatch(line -> line.startsWith("aapns-load: Pushy 0.15.4"));
    }

    @Test
    void rejectionsAreCountedAndAreNotFailures() {
        // A device token the server refuses (too short for the mock: BadDeviceToken, 400).
        Run r = run(
                "--embedded", "--topic", "com.example.app", "--token", "abcd", "--concurrency", "50", "--count", "500");

        assertThat(r.code()).as("stderr: %s", r.err()).isZero();
        Matcher m = LAST_LINE.matcher(r.last());
        assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
        assertThat(m.group(2)).isEqualTo("0");
        assertThat(m.group(3)).isEqualTo("500");
    }

    @Test
    void failuresMakeTheExitStatusNonZero(@TempDir Path dir) {
        // The server refuses the credentials with GOAWAY BadCertificate: the client closes and every
        // notification fails (none is answered).
        try (MockApnsServer server =
                MockApnsServer.builder().recordRequests(false).start()) {
            Path p12 = server.issueClientCertificate("com.example.app")
                    .writePkcs12(dir.resolve("c.p12"), "pw".toCharArray());
            server.faults().goAwayOnNextRequest("BadCertificate");
            Run r = run(
                    "--url",
                    server.uri().toString(),
                    "--cert",
                    p12.toString(),
                    "--password",
                    "pw",
                    "--trust",
                    server.caCertificateFile().toString(),
                    "--topic",
                    "com.example.app",
                    "--concurrency",
                    "10",
                    "--count",
                    "100");

            assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
            Matcher m = LAST_LINE.matcher(r.last());
            assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
            assertThat(m.group(4)).isEqualTo("100");
            assertThat(r.err()).contains("BadCertificate");
        }
    }

    @Test
    void unreadableFilesAreReportedWithExitStatus2() {
        Run r = run(
                "--url",
                "https://127.0.0.1:8443",
                "--cert",
                "missing.p12",
                "--password",
                "x",
                "--trust",
                "missing.pem",
                "--topic",
                "com.example.app");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("aapns-load: cannot set up the aapns client");
    }

    @Test
    void badArgumentsPrintUsageAndExitWith2() {
        for (String[] args : List.of(
                new String[] {"--topic", "com.example.app"},
                new String[] {"--embedded"},
                new String[] {"--embedded", "--topic", "t", "--count", "zero"},
                new String[] {"--embedded", "--topic", "t", "--client", "other"},
                new String[] {"--embedded", "--topic", "t", "--bogus"},
                new String[] {"--url", "https://127.0.0.1:8443", "--topic", "t"},
                new String[] {"--url", "https://127.0.0.1:8443", "--topic", "t", "--cert", "c.p12"},
                new String[] {
                    "--url",
                    "https://127.0.0.1:8443",
                    "--topic",
                    "t",
                    "--cert",
                    "c.p12",
                    "--password",
                    "p",
                    "--p8",
                    "k.p8"
                },
                new String[] {"--url", "https://127.0.0.1:8443", "--topic", "t", "--p8", "k.p8", "--key-id", "K"},
                new String[] {"--embedded", "--topic", "t", "--token", "xyz"},
                new String[] {
                    "--url", "https://127.0.0.1:8443", "--topic", "t", "--cert", "c.p12", "--password", "p", "--stall"
                },
                new String[] {"--embedded", "--topic", "t", "--client", "pushy", "--stall"},
                new String[] {"--embedded", "--topic", "t", "--max-pending", "0"},
                new String[] {"--embedded", "--topic", "t", "--kafka", "--token", "ab"},
                new String[] {"--embedded", "--topic", "t", "--kafka", "--client", "pushy"},
                new String[] {"--embedded", "--topic", "t", "--kafka", "--stall"},
                new String[] {"--embedded", "--topic", "t", "--partitions", "3"},
                new String[] {"--embedded", "--topic", "t", "--kafka", "--consumers", "0"})) {
            Run r = run(args);
            assertThat(r.code()).as("%s", String.join(" ", args)).isEqualTo(2);
            assertThat(r.err())
                    .as("%s", String.join(" ", args))
                    .contains("aapns-load: ")
                    .contains("usage:");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void stallRunFillsStreamsThenTheQueueThenFailsFast() {
        // one connection: the mock's 1000 streams, then 500 queued, the other 250 refused at once
        Run r = run(
                "--embedded",
                "--stall",
                "--topic",
                "com.example.app",
                "--connections",
                "1",
                "--count",
                "1750",
                "--max-pending",
                "500");

        assertThat(r.code()).as("exit status; stderr: %s", r.err()).isZero();
        Matcher m = Pattern.compile("stall: sent=1750 in-flight=(\\d+) queued=(\\d+) blocked=(\\d+) other=0"
                        + " heap-before=\\d+ MB heap-after=\\d+ MB bytes-per-waiting=-?\\d+")
                .matcher(r.last());
        assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
        assertThat(m.group(1)).isEqualTo("1000");
        assertThat(m.group(2)).isEqualTo("500");
        assertThat(m.group(3)).isEqualTo("250");
    }

    @Test
    void kafkaRunSendsEveryRequestThroughTheWorkerAndEndsWithItsResultLine() {
        Run r = run(
                "--embedded",
                "--kafka",
                "--topic",
                "com.example.app",
                "--partitions",
                "3",
                "--consumers",
                "2",
                "--concurrency",
                "500",
                "--count",
                "3000",
                "--warmup",
                "500",
                "--progress-seconds",
                "0.5");

        assertThat(r.code()).as("exit status; stderr: %s", r.err()).isZero();
        Matcher m = Pattern.compile("kafka: throughput=(\\d+)/s accepted=(\\d+) rejected=0 failed=0 dead-lettered=0"
                        + " pauses=\\d+ seconds=\\d+\\.\\d+ cpu=(\\d+\\.\\d+)/notification")
                .matcher(r.last());
        assertThat(m.matches()).as("last line: %s", r.last()).isTrue();
        // the window opens at the first reading of the counters at or past the warm-up, so it may miss a few of the
        // measured outcomes; exit status 0 says all 3 500 were accepted
        assertThat(Long.parseLong(m.group(2))).isBetween(1L, 3000L);
        assertThat(Long.parseLong(m.group(1))).isPositive();
        assertThat(Double.parseDouble(m.group(3))).isPositive();
        assertThat(r.out()).anyMatch(line -> line.startsWith("published 3500 requests to "));
        assertThat(r.out()).anyMatch(line -> line.startsWith("Kafka broker (KRaft, one node) in a child JVM at "));
    }
}
