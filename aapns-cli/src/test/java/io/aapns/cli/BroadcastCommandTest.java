package io.aapns.cli;

import static io.aapns.cli.CliTesting.TOPIC;
import static io.aapns.cli.CliTesting.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockClientCertificate;
import io.aapns.mock.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aapns broadcast} in-process against the mock server (client certificates required): a Live Activity update
 * accepted, one to an unknown channel rejected, a dry run, and options that are wrong.
 */
class BroadcastCommandTest {

    static MockApnsServer mock;

    @TempDir
    static Path dir;

    static Path pem;
    static Path pemKey;

    @BeforeAll
    static void start() throws Exception {
        mock = MockApnsServer.builder().requireClientCertificate(true).start();
        MockClientCertificate client = mock.issueClientCertificate(TOPIC);
        pem = dir.resolve("client.pem");
        pemKey = dir.resolve("client-key.pem");
        client.writePem(pem, pemKey);
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    @BeforeEach
    void reset() {
        mock.reset();
    }

    static String[] broadcast(String... args) {
        return CliTesting.args(
                List.of(
                        "broadcast",
                        "--url",
                        mock.uri().toString(),
                        "--trust",
                        mock.caCertificateFile().toString(),
                        "--cert",
                        pem.toString(),
                        "--key",
                        pemKey.toString()),
                args);
    }

    @Test
    void anUpdateTheServerAcceptsExitsZeroWithItsRequestId() {
        String channel = mock.createChannel(TOPIC, 0).id();

        Run run = cli().run(broadcast(
                channel,
                "--content-state",
                "{\"home\":2,\"away\":1}",
                "--timestamp",
                "1700000000",
                "--stale-date",
                "1700003600",
                "--title",
                "Goal",
                "--body",
                "2-1",
                "--priority",
                "5"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<RecordedRequest> sent = mock.broadcasts(channel);
        assertThat(sent).hasSize(1);
        RecordedRequest request = sent.get(0);
        assertThat(run.out())
                .startsWith("accepted channel " + channel + " apns-request-id " + request.header("apns-request-id"));
        assertThat(request.header("apns-priority")).isEqualTo("5");
        assertThat(request.header("apns-expiration")).isEqualTo("0");
        assertThat(request.header("apns-push-type")).isEqualTo("liveactivity");
        assertThat(request.payloadAsString())
                .contains("\"event\":\"update\"")
                .contains("\"timestamp\":1700000000")
                .contains("\"content-state\":{\"home\":2,\"away\":1}")
                .contains("\"stale-date\":1700003600")
                .contains("\"title\":\"Goal\"");
    }

    @Test
    void anEndWithTheContentStateFromAFileIsAccepted() throws Exception {
        String channel = mock.createChannel(TOPIC, 1).id();
        Path state = Files.writeString(dir.resolve("state.json"), "{\"home\":3,\"away\":1,\"final\":true}");

        Run run = cli().run(broadcast(
                channel,
                "--event",
                "end",
                "--content-state",
                "@" + state,
                "--dismissal-date",
                "1700007200",
                "--expiration",
                Long.toString(java.time.Instant.now().getEpochSecond() + 3600)));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String payload = mock.broadcasts(channel).get(0).payloadAsString();
        assertThat(payload)
                .contains("\"event\":\"end\"")
                .contains("\"final\":true")
                .contains("\"dismissal-date\":1700007200");
    }

    @Test
    void aBroadcastToAnUnknownChannelExitsOneWithTheReason() {
        Run run = cli().run(broadcast("AAAAAAAAAAAAAAAAAAAAAA==", "--content-state", "{\"home\":1}"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.out())
                .startsWith("rejected channel AAAAAAAAAAAAAAAAAAAAAA==: 400 ChannelNotRegistered")
                .contains("apns-request-id ");
    }

    @Test
    void aDryRunPrintsTheRequestAndSendsNothing() {
        Run run = cli().run(
                        "broadcast",
                        "--dry-run",
                        "--bundle-id",
                        TOPIC,
                        "--env",
                        "development",
                        "Y2hhbm5lbA==",
                        "--content-state",
                        "{\"home\":1}",
                        "--timestamp",
                        "1700000000");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("POST https://api.sandbox.push.apple.com/4/broadcasts/apps/" + TOPIC + "\n")
                .contains("apns-channel-id: Y2hhbm5lbA==\n")
                .contains("apns-expiration: 0\n")
                .contains("apns-priority: 10\n")
                .contains("{\"aps\":{\"timestamp\":1700000000,\"event\":\"update\",\"content-state\":{\"home\":1}}}");
        assertThat(run.err()).contains("nothing was sent");
    }

    @Test
    void wrongOptionsAreUsageErrorsSayingWhatToFix() {
        String channel = mock.createChannel(TOPIC, 0).id();

        Run noState = cli().run(broadcast(channel));
        Run start = cli().run(broadcast(channel, "--event", "start", "--content-state", "{}"));
        Run notJson = cli().run(broadcast(channel, "--content-state", "{home"));
        Run badId = cli().run(broadcast("not a channel!", "--content-state", "{\"home\":1}"));

        assertThat(noState.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noState.err()).contains("--content-state is missing");
        assertThat(start.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(start.err()).contains("cannot start a Live Activity");
        assertThat(notJson.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notJson.err()).contains("--content-state is not JSON");
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("a channel id is base64");
        assertThat(mock.broadcasts(channel)).isEmpty();
    }
}
