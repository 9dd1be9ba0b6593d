package io.aapns.simulator;

import io.aapns.errors.ApnsException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A push to the iOS Simulator did not happen: {@code xcrun} was not found or could not be started, it did not finish in
 * time, or it exited with an error. The message says which and what to fix; {@link #stderr()} holds what {@code xcrun}
 * wrote to its standard error, {@link #exitCode()} its exit status when it ran to the end, and {@link #kind()} tells
 * the cases apart.
 */
public final class SimulatorException extends ApnsException {
    private static final long serialVersionUID = 1L;

    /** Why the push did not happen. */
    public enum Kind {
        /** {@code xcrun} is not on the search path, or the path given does not name an executable file. */
        NOT_FOUND,
        /** {@code xcrun} could not be started, or the payload file could not be written. */
        NOT_STARTED,
        /** {@code xcrun} did not finish within the timeout and was stopped. */
        TIMED_OUT,
        /** {@code xcrun} exited with a status other than 0 (no such device, app not installed, ...). */
        FAILED
    }

    private final Kind kind;
    private final Integer exitCode;
    private final String stderr;

    /** A failure before {@code xcrun} ran ({@link Kind#NOT_FOUND}, {@link Kind#NOT_STARTED}). */
    public SimulatorException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null, "");
    }

    /** {@code xcrun} ran and failed, or was stopped ({@code exitCode} null), writing {@code stderr}. */
    public SimulatorException(Kind kind, String message, Integer exitCode, String stderr) {
        this(kind, message, null, exitCode, stderr);
    }

    private SimulatorException(Kind kind, String message, Throwable cause, Integer exitCode, String stderr) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.exitCode = exitCode;
        this.stderr = stderr == null ? "" : stderr;
    }

    /** Why the push did not happen. */
    public Kind kind() {
        return kind;
    }

    /** The exit status of {@code xcrun}, when it ran to the end. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** What {@code xcrun} wrote to its standard error; empty when it did not run. */
    public String stderr() {
        return stderr;
    }
}
