package io.aapns.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.model.Alert;
import io.aapns.model.Notification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@link SimulatorTarget} against a fake {@code xcrun}: a shell script that records what it was given. */
class SimulatorTargetTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** Writes an executable {@code xcrun} into {@code folder} that records its arguments and the payload file. */
    static Path fakeXcrun(Path folder, String extra) throws IOException {
        Files.createDirectories(folder);
        Path script = folder.resolve("xcrun");
        Files.writeString(
                script,
                "#!/bin/sh\n"
                        + "here=\"$(dirname \"$0\")\"\n"
                        + "printf '%s\\n' \"$@\" > \"$here/args.txt\"\n"
                        + "cat \"$5\" > \"$here/payload.json\"\n"
                        + extra);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void writesThePayloadWithTheTargetBundleKeyAndRunsSimctlPush() throws Exception {
        Path xcrun = fakeXcrun(dir, "echo 'Notification sent to com.example.app'\n");
        SimulatorTarget target = SimulatorTarget.builder()
                .deviceId("booted")
                .bundleId("com.example.app")
                .xcrun(xcrun)
                .build();

        String output = target.send(Notification.builder()
                .alert(Alert.builder().title("Hi").body("there").build())
                .badge(3)
                .customKey("order", 42)
                .build());

        assertThat(output).isEqualTo("Notification sent to com.example.app");
        List<String> args = Files.readAllLines(dir.resolve("args.txt"));
        assertThat(args).hasSize(5);
        assertThat(args.subList(0, 4)).containsExactly("simctl", "push", "booted", "com.example.app");
        JsonNode payload = JSON.readTree(Files.readString(dir.resolve("payload.json")));
        assertThat(payload.get(SimulatorTarget.TARGET_BUNDLE_KEY).asString()).isEqualTo("com.example.app");
        assertThat(payload.get("aps").get("alert").get("title").asString()).isEqualTo("Hi");
        assertThat(payload.get("aps").get("badge").asInt()).isEqualTo(3);
        assertThat(payload.get("order").asInt()).isEqualTo(42);
        assertThat(Path.of(args.get(4))).as("the payload file is deleted").doesNotExist();
        assertThat(Path.of(args.get(4)).getParent()).as("and its folder").doesNotExist();
    }

    @Test
    void keepsARawPayloadAndReplacesATargetKeyInIt() throws Exception {
        Path xcrun = fakeXcrun(dir, "");
        SimulatorTarget target = SimulatorTarget.builder()
                .deviceId("8A1B2C3D-0000-4000-8000-123456789ABC")
                .bundleId("com.example.app")
                .xcrun(xcrun)
                .build();

        target.send(Notification.ofJson(
                "{\"Simulator Target Bundle\":\"com.other\",\"aps\":{\"content-available\":1},\"x\":[1,2]}"));

        assertThat(Files.readAllLines(dir.resolve("args.txt")).get(2))
                .isEqualTo("8A1B2C3D-0000-4000-8000-123456789ABC");
        assertThat(Files.readString(dir.resolve("payload.json")))
                .isEqualTo("{\"Simulator Target Bundle\":\"com.example.app\",\"aps\":{\"content-available\":1},"
                        + "\"x\":[1,2]}");
    }

    @Test
    void findsXcrunOnTheSearchPath() throws Exception {
        Path bin = dir.resolve("bin");
        fakeXcrun(bin, "");
        SimulatorTarget target = SimulatorTarget.builder()
                .bundleId("com.example.app")
                .searchPath(dir.resolve("empty") + java.io.File.pathSeparator + bin)
                .build();

        target.send(Notification.builder().alert("Hello").build());

        assertThat(Files.readAllLines(bin.resolve("args.txt")).subList(0, 4))
                .containsExactly("simctl", "push", "booted", "com.example.app");
    }

    @Test
    void saysXcrunIsMissingWhenItIsNotOnThePath() {
        SimulatorTarget target = SimulatorTarget.builder()
                .bundleId("com.example.app")
                .searchPath(dir.toString())
                .build();

        assertThatThrownBy(
                        () -> target.send(Notification.builder().alert("Hello").build()))
                .isInstanceOfSatisfying(
                        SimulatorException.class,
                        e -> assertThat(e.kind()).isEqualTo(SimulatorException.Kind.NOT_FOUND))
                .hasMessageContaining("xcrun was not found on PATH")
                .hasMessageContaining("macOS with Xcode");
    }

    @Test
    void saysTheGivenXcrunDoesNotExist() {
        Path missing = dir.resolve("no-such-xcrun");
        SimulatorTarget target = SimulatorTarget.builder()
                .bundleId("com.example.app")
                .xcrun(missing)
                .build();

        assertThatThrownBy(
                        () -> target.send(Notification.builder().alert("Hello").build()))
                .isInstanceOf(SimulatorException.class)
                .hasMessageContaining(missing + ", does not exist");
    }

    @Test
    void aFailingXcrunGivesItsExitStatusAndStderr() throws Exception {
        Path xcrun = fakeXcrun(dir, "echo 'Invalid device: nope' >&2\nexit 148\n");
        SimulatorTarget target = SimulatorTarget.builder()
                .deviceId("nope")
                .bundleId("com.example.app")
                .xcrun(xcrun)
                .build();

        assertThatThrownBy(
                        () -> target.send(Notification.builder().alert("Hello").build()))
                .isInstanceOfSatisfying(SimulatorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SimulatorException.Kind.FAILED);
                    assertThat(e.exitCode()).hasValue(148);
                    assertThat(e.stderr()).isEqualTo("Invalid device: nope\n");
                })
                .hasMessageContaining("failed with exit status 148: Invalid device: nope");
        Path payloadFile = Path.of(Files.readAllLines(dir.resolve("args.txt")).get(4));
        assertThat(payloadFile).as("deleted after a failure too").doesNotExist();
    }

    @Test
    void anXcrunThatHangsIsStoppedAtTheTimeout() throws Exception {
        Path xcrun = fakeXcrun(dir, "exec sleep 600\n");
        SimulatorTarget target = SimulatorTarget.builder()
                .bundleId("com.example.app")
                .xcrun(xcrun)
                .timeout(Duration.ofMillis(300))
                .build();

        assertThatThrownBy(
                        () -> target.send(Notification.builder().alert("Hello").build()))
                .isInstanceOfSatisfying(
                        SimulatorException.class,
                        e -> assertThat(e.kind()).isEqualTo(SimulatorException.Kind.TIMED_OUT))
                .hasMessageContaining("did not finish within PT0.3S");
    }

    @Test
    void refusesABlankBundleOrDeviceAndAMissingBundle() {
        assertThatThrownBy(() -> SimulatorTarget.builder().bundleId(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bundleId must be one word");
        assertThatThrownBy(() -> SimulatorTarget.builder().deviceId("my phone"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceId must be one word");
        assertThatThrownBy(() -> SimulatorTarget.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no bundle id");
    }
}
