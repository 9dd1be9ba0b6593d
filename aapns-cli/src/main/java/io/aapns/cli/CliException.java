package io.aapns.cli;

/**
 * A problem the user can fix, reported as its message alone (no stack trace) with an exit code, usually
 * {@link ExitCodes#USAGE}.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliException(String message) {
        this(message, ExitCodes.USAGE, null);
    }

    CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
