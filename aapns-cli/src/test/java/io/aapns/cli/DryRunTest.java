package io.aapns.cli;

import static io.aapns.cli.CliTesting.TEAM_ID;
import static io.aapns.cli.CliTesting.TOPIC;
import static io.aapns.cli.CliTesting.cli;
import static io.aapns.cli.CliTesting.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aapns send --dry-run}: the request printed and checked, nothing sent (no server is running here). */
class DryRunTest {

    @TempDir
    Path dir;

    @Test
    void printsTheHeadersAndTheBody() throws Exception {
        Path p8 = CliTesting.writeP8(dir, CliTesting.ecKey());

        Run run = cli().run(
                        "send",
                        "--dry-run",
                        "--p8",
                        p8.toString(),
                        "--team-id",
                        TEAM_ID,
                        "--topic",
                        TOPIC,
                        "--env",
                        "development",
                        "--push-type",
                        "voip",
                        "--priority",
                        "10",
                        "--expiration",
                        "0",
                        "--collapse-id",
                        "call-1",
                        "--apns-id",
                        "123e4567-e89b-12d3-a456-426614174000",
                        "--custom",
                        "caller=\"Bob\"",
                        "<" + token(1).substring(0, 8) + " " + token(1).substring(8) + ">");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines())
                .containsExactly(
                        "POST https://api.sandbox.push.apple.com/3/device/" + token(1),
                        "apns-topic: com.example.app.voip",
                        "apns-push-type: voip",
                        "apns-id: 123e4567-e89b-12d3-a456-426614174000",
                        "apns-priority: 10",
                        "apns-expiration: 0",
                        "apns-collapse-id: call-1",
                        "authorization: bearer <ES256 provider token of key ABC123DEFG, team TEAM123456, made per"
                                + " connection>",
                        "# payload: 16 bytes of 5120 allowed for voip",
                        "",
                        "{\"caller\":\"Bob\"}");
        assertThat(run.err()).contains("dry run: valid; nothing was sent");
    }

    @Test
    void aPayloadFileIsTheBaseAndOptionsAddToIt() throws Exception {
        Path payload = Files.writeString(
                dir.resolve("payload.json"),
                "{\"aps\":{\"alert\":{\"title\":\"Old\",\"body\":\"kept\"},\"sound\":\"ping.aiff\"},\"id\":1}");

        Run run = cli().run(
                        "send",
                        "--dry-run",
                        "--topic",
                        TOPIC,
                        "--payload",
                        payload.toString(),
                        "--title",
                        "New",
                        "--badge",
                        "1",
                        token(2));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).contains("apns-push-type: alert", "# no credentials given: not checked");
        assertThat(run.outLines().get(run.outLines().size() - 1))
                .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"New\",\"body\":\"kept\"},\"sound\":\"ping.aiff\","
                        + "\"badge\":1},\"id\":1}");
    }

    @Test
    void aPayloadFromStandardInputWithOnlyContentAvailableIsABackgroundPush() {
        Run run = cli().in(new java.io.ByteArrayInputStream("{\"aps\":{\"content-available\":1}}".getBytes()))
                .run("send", "--dry-run", "--topic", TOPIC, "--payload", "-", token(3));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.outLines()).contains("apns-push-type: background");
    }

    @Test
    void refusesWhatApnsWouldRefuse() {
        Run tooBig = cli().run("send", "--dry-run", "--topic", TOPIC, "--body", "x".repeat(5000), token(4));
        Run backgroundNow =
                cli().run("send", "--dry-run", "--topic", TOPIC, "--content-available", "--priority", "10", token(4));
        Run badCollapseId = cli().run(
                        "send",
                        "--dry-run",
                        "--topic",
                        TOPIC,
                        "--body",
                        "hi",
                        "--collapse-id",
                        "x".repeat(65),
                        token(4));
        Run noTopic = cli().run("send", "--dry-run", "--body", "hi", token(4));
        Run empty = cli().run("send", "--dry-run", "--topic", TOPIC, token(4));
        Run badCustom = cli().run("send", "--dry-run", "--topic", TOPIC, "--custom", "name=Bob", token(4));
        Run badPriority = cli().run("send", "--dry-run", "--topic", TOPIC, "--body", "hi", "--priority", "7", token(4));
        Run badPushType =
                cli().run("send", "--dry-run", "--topic", TOPIC, "--body", "hi", "--push-type", "banner", token(4));

        assertThat(List.of(tooBig, backgroundNow, badCollapseId, noTopic, empty, badCustom, badPriority, badPushType))
                .allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE))
                .allSatisfy(r -> assertThat(r.out()).isEmpty());
        assertThat(tooBig.err()).contains("over the 4096-byte limit of push type alert");
        assertThat(backgroundNow.err()).contains("a background push").contains("priority 5");
        assertThat(badCollapseId.err()).contains("the collapse id is 65 bytes");
        assertThat(noTopic.err()).contains("no topic: give --topic BUNDLE_ID");
        assertThat(empty.err()).contains("nothing to send: give --title and --body");
        assertThat(badCustom.err()).contains("a string needs quotes: --custom 'name=\"Bob\"'");
        assertThat(badPriority.err()).contains("--priority 7: apns-priority must be 10");
        assertThat(badPushType.err()).contains("unknown apns-push-type 'banner'");
    }

    @Test
    void aFileOfTokensIsCheckedLineByLine() throws Exception {
        Path tokens = Files.write(dir.resolve("tokens.txt"), List.of(token(5), "zz", token(6), "", "# note", token(7)));

        Run run = cli().run("send", "--dry-run", "--topic", TOPIC, "--body", "hi", "--tokens", tokens.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.outLines().get(0)).isEqualTo("POST https://api.push.apple.com/3/device/" + token(5));
        assertThat(run.err())
                .contains("invalid zz: the device token 'zz' has 'z' at index 0")
                .contains("dry run: 3 valid token(s), 1 invalid; nothing was sent");
    }
}
