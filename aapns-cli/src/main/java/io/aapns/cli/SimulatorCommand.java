package io.aapns.cli;

import io.aapns.model.Notification;
import io.aapns.simulator.SimulatorException;
import io.aapns.simulator.SimulatorTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aapns simulator}: pushes a notification to an app in the iOS Simulator through {@code xcrun simctl push}
 * ({@link SimulatorTarget}), on macOS with Xcode.
 */
@Command(
        name = "simulator",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Push a notification to an app in the iOS Simulator (xcrun simctl push; macOS with Xcode).",
        footer = {"", "Exit status: 0 pushed, 1 xcrun failed (its error is shown), 2 usage error or no xcrun."})
final class SimulatorCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "DEVICE_ID", description = "the simulator's UDID, or 'booted'")
    String deviceId;

    @Parameters(index = "1", paramLabel = "BUNDLE_ID", description = "the app's bundle id")
    String bundleId;

    @Option(names = "--xcrun", paramLabel = "PATH", description = "the xcrun to run (default: xcrun on PATH)")
    Path xcrun;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "how long xcrun may take (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--dry-run", description = "print the payload file's JSON; run nothing")
    boolean dryRun;

    @Mixin
    NotificationArgs notification;

    SimulatorCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Notification built = notification.build(env).notification();
        SimulatorTarget.Builder builder =
                SimulatorTarget.builder().deviceId(deviceId).bundleId(bundleId).timeout(timeout);
        if (xcrun != null) {
            builder.xcrun(xcrun);
        }
        String path = env.variable("PATH");
        if (path != null) {
            builder.searchPath(path);
        }
        SimulatorTarget target = builder.build();
        if (dryRun) {
            env.out().println(new String(target.payloadFor(built), StandardCharsets.UTF_8));
            env.out().flush();
            return ExitCodes.OK;
        }
        try {
            String said = target.send(built);
            env.out().println(said.isEmpty() ? "pushed to " + bundleId + " on " + deviceId : said);
            env.out().flush();
            return ExitCodes.OK;
        } catch (SimulatorException e) {
            env.err().println("aapns simulator: " + e.getMessage());
            env.err().flush();
            return e.kind() == SimulatorException.Kind.FAILED || e.kind() == SimulatorException.Kind.TIMED_OUT
                    ? ExitCodes.REJECTED
                    : ExitCodes.USAGE;
        }
    }
}
