package io.aapns.cli;

import static io.aapns.cli.CliTesting.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code aapns simulator} against a fake {@code xcrun} script, found on PATH or given with --xcrun. */
class SimulatorCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void pushesThroughXcrunOnThePath() throws Exception {
        Path bin = dir.resolve("bin");
        CliTesting.fakeXcrun(bin, "echo 'Notification sent to com.example.app'\n");

        Run run = cli().env("PATH", dir.resolve("empty") + ":" + bin)
                .run(
                        "simulator",
                        "booted",
                        "com.example.app",
                        "--title",
                        "Hello",
                        "--body",
                        "from the simulator",
                        "--badge",
                        "1",
                        "--custom",
                        "deepLink=\"app://inbox\"");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("Notification sent to com.example.app\n");
        List<String> args = Files.readAllLines(bin.resolve("args.txt"));
        assertThat(args.subList(0, 4)).containsExactly("simctl", "push", "booted", "com.example.app");
        assertThat(Path.of(args.get(4))).as("the payload file is deleted").doesNotExist();
        JsonNode payload = JSON.readTree(Files.readString(bin.resolve("payload.json")));
        assertThat(payload.get("Simulator Target Bundle").asString()).isEqualTo("com.example.app");
        assertThat(payload.get("aps").get("alert").get("body").asString()).isEqualTo("from the simulator");
        assertThat(payload.get("aps").get("badge").asInt()).isEqualTo(1);
        assertThat(payload.get("deepLink").asString()).isEqualTo("app://inbox");
    }

    @Test
    void pushesThroughTheXcrunGiven() throws Exception {
        Path xcrun = CliTesting.fakeXcrun(dir.resolve("tools"), "");
        Path payloadFile = Files.writeString(dir.resolve("p.json"), "{\"aps\":{\"content-available\":1}}");

        Run run = cli().env("PATH", dir.toString())
                .run(
                        "simulator",
                        "8A1B2C3D-0000-4000-8000-123456789ABC",
                        "com.example.app",
                        "--payload",
                        payloadFile.toString(),
                        "--xcrun",
                        xcrun.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("pushed to com.example.app on 8A1B2C3D-0000-4000-8000-123456789ABC\n");
        assertThat(Files.readString(dir.resolve("tools").resolve("payload.json")))
                .isEqualTo("{\"Simulator Target Bundle\":\"com.example.app\",\"aps\":{\"content-available\":1}}");
    }

    @Test
    void withoutXcrunItSaysSoAndExitsTwo() {
        Run run = cli().env("PATH", dir.toString()).run("simulator", "booted", "com.example.app", "--body", "hi");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("xcrun was not found on PATH").contains("macOS with Xcode");
    }

    @Test
    void aFailingXcrunExitsOneWithItsError() throws Exception {
        Path bin = dir.resolve("bin");
        CliTesting.fakeXcrun(
                bin,
                "echo 'An error was encountered processing the command: Invalid device: phone' >&2\n" + "exit 148\n");

        Run run = cli().env("PATH", bin.toString()).run("simulator", "phone", "com.example.app", "--body", "hi");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REJECTED);
        assertThat(run.err())
                .contains("failed with exit status 148: An error was encountered processing the"
                        + " command: Invalid device: phone");
    }

    @Test
    void aDryRunPrintsThePayloadFile() {
        Run run = cli().env("PATH", dir.toString())
                .run("simulator", "booted", "com.example.app", "--sound", "default", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .isEqualTo("{\"Simulator Target Bundle\":\"com.example.app\",\"aps\":{\"sound\":\"default\"}}\n");
    }
}
