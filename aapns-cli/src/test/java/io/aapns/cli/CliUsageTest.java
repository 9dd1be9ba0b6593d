package io.aapns.cli;

import static io.aapns.cli.CliTesting.cli;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.cli.CliTesting.Run;
import org.junit.jupiter.api.Test;

/** The command line itself: help, version, unknown commands and options, exit code 2 for usage errors. */
class CliUsageTest {

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Run run = cli().run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("send")
                .contains("simulator")
                .contains("mock")
                .contains("Exit status");
    }

    @Test
    void sendHelpListsItsOptionsAndVariables() {
        Run run = cli().run("help", "send");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("--tokens=FILE")
                .contains("--dry-run")
                .contains("--p8=FILE")
                .contains("--password=PASSWORD")
                .contains("UNSAFE")
                .contains("APNS_KEY_ID");
    }

    @Test
    void versionIsPrinted() {
        Run run = cli().run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("aapns ");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Run none = cli().run();
        Run unknown = cli().run("sned");
        Run badOption = cli().run("send", "--titel", "x", "00");

        assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("name a command: send, broadcast, channels, simulator or mock");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("send");
        assertThat(badOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badOption.err()).contains("--titel").contains("--title");
    }

    @Test
    void aBadDurationSaysHowToWriteOne() {
        Run run = cli().run("send", "--timeout", "ten", "--body", "x", "00");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'ten' is not a duration: write it as 500ms, 10s, 2m or 1h");
    }

    @Test
    void bashCompletionIsGenerated() {
        Run run = cli().run("generate-completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete").contains("aapns");
    }
}
