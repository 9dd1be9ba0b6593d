package io.aapns.cli;

/**
 * The exit status of every {@code aapns} command: the worst outcome decides, in the order {@link #NO_ANSWER},
 * {@link #USAGE}, {@link #REJECTED}, {@link #OK}.
 */
public final class ExitCodes {

    /** Every notification was accepted (or, for a dry run, would be sent as shown). */
    public static final int OK = 0;

    /** APNs (or the Simulator) rejected at least one notification. */
    public static final int REJECTED = 1;

    /** The command line, a file it names, a credential or a device token is wrong: nothing was sent for it. */
    public static final int USAGE = 2;

    /** At least one notification got no answer: the deadline passed or the connection failed. */
    public static final int NO_ANSWER = 3;

    private ExitCodes() {}

    /** The worse of two exit codes. */
    static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case NO_ANSWER -> 3;
            case USAGE -> 2;
            case REJECTED -> 1;
            default -> 0;
        };
    }
}
