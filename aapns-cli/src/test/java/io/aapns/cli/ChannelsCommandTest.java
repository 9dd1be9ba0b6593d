package io.aapns.cli;

import static io.aapns.cli.CliTesting.KEY_ID;
import static io.aapns.cli.CliTesting.TEAM_ID;
import static io.aapns.cli.CliTesting.TOPIC;
import static io.aapns.cli.CliTesting.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aapns channels} in-process against the mock server's channel management port, with token authentication: a
 * create, get, list, delete round trip, a rejection, a lost create, and usage errors.
 */
class ChannelsCommandTest {

    static MockApnsServer mock;
    static KeyPair signingKey = CliTesting.ecKey();

    @TempDir
    static Path dir;

    static Path p8;

    @BeforeAll
    static void start() throws Exception {
        mock = MockApnsServer.builder().start();
        p8 = CliTesting.writeP8(dir, signingKey);
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    @BeforeEach
    void reset() {
        mock.reset();
        mock.registerSigningKey(TEAM_ID, KEY_ID, signingKey.getPublic());
    }

    static String[] channels(String... args) {
        return CliTesting.args(List.of("channels"), args);
    }

    static Run run(String command, String... args) {
        return cli().env("APNS_P8", p8.toString())
                .env("APNS_TEAM_ID", TEAM_ID)
                .env("APNS_TOPIC", TOPIC)
                .env("APNS_MANAGEMENT_URL", mock.channelsUri().toString())
                .env("APNS_TRUST", mock.caCertificateFile().toString())
                .run(CliTesting.args(List.of("channels", command), args));
    }

    @Test
    void createGetListDeleteRoundTrip() {
        Run created = run("create", "--storage-policy", "1");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String id = created.out().strip();
        assertThat(mock.channels(TOPIC)).extracting(MockChannel::id).containsExactly(id);
        assertThat(mock.channels(TOPIC).get(0).storagePolicy()).isEqualTo(1);

        Run got = run("get", id);
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.outLines())
                .containsExactly(
                        "id: " + id, "storage-policy: 1 (most recent message stored)", "push-type: LiveActivity");

        String other = mock.createChannel(TOPIC, 0).id();
        Run listed = run("list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.outLines()).containsExactlyInAnyOrder(id, other);

        Run deleted = run("delete", id);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(mock.channels(TOPIC)).extracting(MockChannel::id).containsExactly(other);

        Run gone = run("get", id);
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(ExitCodes.REJECTED);
        assertThat(gone.err())
                .startsWith("aapns channels get: APNs rejected the channel read: 400 ChannelNotRegistered")
                .contains("apns-request-id");
    }

    @Test
    void aCreateWhoseAnswerIsLostExitsThreeSayingAChannelMayExist() {
        mock.faults().answerThenResetNext(1, 201);

        Run run = run("create");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_ANSWER);
        assertThat(run.err()).contains("A channel may exist").contains("aapns channels list");
        assertThat(mock.channels(TOPIC)).hasSize(1);
    }

    @Test
    void usageErrorsSayWhatToFix() {
        Run policy = run("create", "--storage-policy", "7");
        Run pushUrlOnly = cli().env("APNS_P8", p8.toString())
                .env("APNS_TEAM_ID", TEAM_ID)
                .run(channels("list", "--url", mock.uri().toString(), "--bundle-id", TOPIC));
        Run noId = run("get");
        Run badId = run("delete", "not base64!");
        Run noSubcommand = cli().run("channels");

        assertThat(policy.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(policy.err()).contains("--storage-policy 7: use 0");
        assertThat(pushUrlOnly.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(pushUrlOnly.err()).contains("give --management-url");
        assertThat(noId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noId.err()).contains("CHANNEL_ID");
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badId.err()).contains("a channel id is base64");
        assertThat(noSubcommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSubcommand.err()).contains("create, get, list or delete");
        assertThat(mock.channels()).isEmpty();
    }
}
