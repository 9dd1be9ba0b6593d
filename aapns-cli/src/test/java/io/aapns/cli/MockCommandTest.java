package io.aapns.cli;

import static io.aapns.cli.CliTesting.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aapns.cli.CliTesting.Run;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aapns mock}: the server runs until stopped, and the send command it prints reaches it. */
class MockCommandTest {

    @TempDir
    Path dir;

    @Test
    void theSendCommandItPrintsIsAccepted() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CliTesting.Cli mock = cli().lifetime(stop::await);
        CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> mock.run(
                "mock", "--port", "0", "--require-client-cert", "--out", dir.toString(), "--topic", "com.example.app"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> mock.outSoFar().contains("stop it with Ctrl-C"));
            String printed = mock.outSoFar();
            assertThat(printed)
                    .contains("mock APNs server listening on https://127.0.0.1:")
                    .contains("(client certificates required)")
                    .contains("CA certificate (give it as --trust): " + dir.resolve("ca.pem"))
                    .contains(dir.resolve("client.p12") + " (password changeit)");
            String sendLine = Arrays.stream(printed.split("\n"))
                    .filter(l -> l.contains(" send --url "))
                    .findFirst()
                    .orElseThrow()
                    .strip();
            String[] words = sendLine.split(" ");
            int at = Arrays.asList(words).indexOf("send");

            Run send = cli().run(Arrays.copyOfRange(words, at, words.length));
            Run withP12 = cli().env("APNS_CERT_PASSWORD", "changeit")
                    .run(
                            "send",
                            "--url",
                            words[at + 2],
                            "--trust",
                            dir.resolve("ca.pem").toString(),
                            "--cert",
                            dir.resolve("client.p12").toString(),
                            "--body",
                            "hi",
                            CliTesting.token(1));

            assertThat(send.exitCode()).as(send.toString()).isZero();
            assertThat(send.out()).startsWith("accepted 0123456789abcdef");
            assertThat(withP12.exitCode()).as(withP12.toString()).isZero();

            String createLine = Arrays.stream(printed.split("\n"))
                    .filter(l -> l.contains(" channels create --management-url "))
                    .findFirst()
                    .orElseThrow()
                    .strip();
            String[] create = createLine.split(" ");
            Run created =
                    cli().run(Arrays.copyOfRange(create, Arrays.asList(create).indexOf("channels"), create.length));
            assertThat(created.exitCode()).as(created.toString()).isZero();
            assertThat(created.out().strip()).matches("[A-Za-z0-9+/=]+");
        } finally {
            stop.countDown();
        }
        assertThat(running.get(30, TimeUnit.SECONDS).exitCode()).isZero();
    }

    @Test
    void aPortInUseIsReported() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run run = cli().lifetime(() -> {}).run("mock", "--port", Integer.toString(taken.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
