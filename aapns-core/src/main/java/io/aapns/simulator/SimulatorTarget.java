package io.aapns.simulator;

import io.aapns.model.Notification;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends notifications to an app in the iOS Simulator, for trying its notification handling without APNs, credentials or
 * a device (a port of the Python aapns {@code Simulator} target). Each {@link #send(Notification)} writes the payload,
 * with the app's bundle id under the {@value #TARGET_BUNDLE_KEY} key, to a temporary file and runs {@code xcrun simctl
 * push DEVICE BUNDLE FILE}; the file is deleted afterwards.
 *
 * <pre>{@code
 * SimulatorTarget simulator = SimulatorTarget.of(SimulatorTarget.BOOTED, "com.example.app");
 * simulator.send(Notification.builder().alert("Hello").build());
 * }</pre>
 *
 * <p>{@code xcrun} comes with Xcode, so this works on macOS only; elsewhere {@code send} fails with a
 * {@link SimulatorException} of kind {@link SimulatorException.Kind#NOT_FOUND} saying so. The Simulator applies no APNs
 * rules (topic, push type, priority, size), so none are checked here either. Immutable and thread-safe; each send
 * blocks until {@code xcrun} has finished.
 */
public final class SimulatorTarget {

    /** The payload key that tells the Simulator which app a notification is for. */
    public static final String TARGET_BUNDLE_KEY = "Simulator Target Bundle";

    /** The device id {@code simctl} reads as "the simulator that is booted". */
    public static final String BOOTED = "booted";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int STDERR_LIMIT = 4000;

    private final String deviceId;
    private final String bundleId;
    private final Path xcrun;
    private final String searchPath;
    private final Duration timeout;

    private SimulatorTarget(Builder b) {
        this.deviceId = b.deviceId;
        this.bundleId = b.bundleId;
        this.xcrun = b.xcrun;
        this.searchPath = b.searchPath;
        this.timeout = b.timeout;
    }

    /** The target for {@code bundleId} on {@code deviceId} (a UDID, or {@link #BOOTED}), with xcrun from PATH. */
    public static SimulatorTarget of(String deviceId, String bundleId) {
        return builder().deviceId(deviceId).bundleId(bundleId).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The simulator's UDID, or {@link #BOOTED}. */
    public String deviceId() {
        return deviceId;
    }

    /** The bundle id of the app that receives the notifications. */
    public String bundleId() {
        return bundleId;
    }

    /** The xcrun executable given to the builder; empty when it is looked up on the search path. */
    public Optional<Path> xcrun() {
        return Optional.ofNullable(xcrun);
    }

    /**
     * Pushes {@code notification} to the app in the simulator and returns what {@code xcrun} wrote to its standard
     * output (trimmed).
     *
     * @throws SimulatorException if xcrun is missing, cannot be started, takes longer than the timeout or fails (its
     *     standard error is in the message and in {@link SimulatorException#stderr()})
     */
    public String send(Notification notification) {
        byte[] payload = payloadFor(notification);
        Path executable = resolveXcrun();
        Path dir;
        try {
            dir = Files.createTempDirectory("aapns-simulator-");
        } catch (IOException e) {
            throw new SimulatorException(
                    SimulatorException.Kind.NOT_STARTED,
                    "cannot create a temporary folder for the payload file: " + e.getMessage(),
                    e);
        }
        try {
            return run(executable, dir, payload);
        } finally {
            deleteQuietly(dir);
        }
    }

    private String run(Path executable, Path dir, byte[] payload) {
        Path file = dir.resolve("payload.apns");
        Path out = dir.resolve("xcrun.out");
        Path err = dir.resolve("xcrun.err");
        List<String> command = command(executable, file);
        Process process;
        try {
            Files.write(file, payload);
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            throw new SimulatorException(
                    SimulatorException.Kind.NOT_STARTED,
                    "cannot run " + String.join(" ", command) + ": " + e.getMessage(),
                    e);
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SimulatorException(
                    SimulatorException.Kind.NOT_STARTED, "interrupted while waiting for " + executable, e);
        }
        if (!finished) {
            process.destroyForcibly();
            awaitQuietly(process);
            throw new SimulatorException(
                    SimulatorException.Kind.TIMED_OUT,
                    String.join(" ", command) + " did not finish within " + timeout
                            + " and was stopped: is the Simulator app responding? (xcrun simctl list devices)",
                    null,
                    read(err));
        }
        int status = process.exitValue();
        String stderr = read(err);
        if (status != 0) {
            throw new SimulatorException(
                    SimulatorException.Kind.FAILED,
                    "xcrun simctl push " + deviceId + " " + bundleId + " failed with exit status " + status
                            + (stderr.isBlank() ? "" : ": " + stderr.strip())
                            + " (is the device booted, see xcrun simctl list devices, and the app installed on it?)",
                    status,
                    stderr);
        }
        return read(out).strip();
    }

    /** The command line run for a payload file: {@code xcrun simctl push DEVICE BUNDLE FILE}. */
    List<String> command(Path executable, Path payloadFile) {
        List<String> command = new ArrayList<>(6);
        command.add(executable.toString());
        command.add("simctl");
        command.add("push");
        command.add(deviceId);
        command.add(bundleId);
        command.add(payloadFile.toString());
        return command;
    }

    /**
     * The JSON written to the payload file: {@code {"Simulator Target Bundle":"<bundle id>", ...}} followed by the
     * notification's own keys ({@code aps} and the app's); a target key already in the notification is replaced.
     */
    public byte[] payloadFor(Notification notification) {
        Objects.requireNonNull(notification, "notification");
        JsonNode tree;
        try {
            tree = JSON.readTree(notification.payload());
        } catch (JacksonException e) { // a Notification's payload is always one JSON object
            throw new IllegalArgumentException("the notification's payload is not JSON: " + e.getOriginalMessage(), e);
        }
        ObjectNode file = JSON.createObjectNode();
        file.put(TARGET_BUNDLE_KEY, bundleId);
        for (Map.Entry<String, JsonNode> e : tree.properties()) {
            if (!TARGET_BUNDLE_KEY.equals(e.getKey())) {
                file.set(e.getKey(), e.getValue());
            }
        }
        return JSON.writeValueAsBytes(file);
    }

    /** The xcrun to run: the one given, or the first executable {@code xcrun} on the search path. */
    Path resolveXcrun() {
        if (xcrun != null) {
            if (!Files.isRegularFile(xcrun) || !Files.isExecutable(xcrun)) {
                throw new SimulatorException(
                        SimulatorException.Kind.NOT_FOUND,
                        "the xcrun given, " + xcrun + ", "
                                + (Files.exists(xcrun) ? "is not an executable file" : "does not exist")
                                + ": give the path of Xcode's xcrun (usually /usr/bin/xcrun)",
                        null);
            }
            return xcrun;
        }
        if (searchPath != null) {
            for (String entry : searchPath.split(File.pathSeparator, -1)) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(entry).resolve("xcrun");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new SimulatorException(
                SimulatorException.Kind.NOT_FOUND,
                "xcrun was not found on PATH: pushing to the iOS Simulator needs macOS with Xcode installed"
                        + " (xcode-select --install), or give the path of xcrun",
                null);
    }

    private static String read(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, Charset.defaultCharset());
            return text.length() > STDERR_LIMIT ? text.substring(0, STDERR_LIMIT) + "..." : text;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void awaitQuietly(Process process) {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().deleteOnExit();
                }
            });
        } catch (IOException | UncheckedIOException e) {
            dir.toFile().deleteOnExit();
        }
    }

    @Override
    public String toString() {
        return "SimulatorTarget{" + deviceId + ", " + bundleId + (xcrun != null ? ", " + xcrun : "") + "}";
    }

    /** Builds a {@link SimulatorTarget}. Not thread-safe. */
    public static final class Builder {
        private String deviceId = BOOTED;
        private String bundleId;
        private Path xcrun;
        private String searchPath = System.getenv("PATH");
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {}

        /** The simulator's UDID (from {@code xcrun simctl list devices}), or {@link #BOOTED} (the default). */
        public Builder deviceId(String deviceId) {
            this.deviceId = requireWord("deviceId", deviceId, "a UDID or booted");
            return this;
        }

        /** The bundle id of the app (required). */
        public Builder bundleId(String bundleId) {
            this.bundleId = requireWord("bundleId", bundleId, "a bundle id such as com.example.app");
            return this;
        }

        /** The xcrun executable to run instead of the one found on the search path. */
        public Builder xcrun(Path xcrun) {
            this.xcrun = Objects.requireNonNull(xcrun, "xcrun");
            return this;
        }

        /**
         * The folders to look for {@code xcrun} in, separated as PATH is ({@code :} on macOS); default: the
         * {@code PATH} environment variable.
         */
        public Builder searchPath(String searchPath) {
            this.searchPath = Objects.requireNonNull(searchPath, "searchPath");
            return this;
        }

        /** How long one {@code xcrun} run may take before it is stopped (default 30 s). */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Builds the target.
         *
         * @throws IllegalStateException if no bundle id was given
         */
        public SimulatorTarget build() {
            if (bundleId == null) {
                throw new IllegalStateException("no bundle id: call bundleId(\"com.example.app\"), the app to notify");
            }
            return new SimulatorTarget(this);
        }

        private static String requireWord(String name, String value, String example) {
            Objects.requireNonNull(value, name);
            if (value.isBlank() || !value.strip().equals(value) || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(
                        name + " must be one word without spaces, " + example + ", got '" + value + "'");
            }
            return value;
        }
    }
}
