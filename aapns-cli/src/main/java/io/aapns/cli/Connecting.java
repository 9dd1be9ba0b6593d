package io.aapns.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a client's first connection before a command sends anything, so that a wrong URL, trust or credential is
 * told once, clearly, with exit code {@link ExitCodes#NO_ANSWER}.
 */
final class Connecting {

    private Connecting() {}

    /**
     * Waits for {@code ready} up to {@code timeout} (and a margin).
     *
     * @param origin where the client connects, for the message
     * @param where the options that say where to connect, for the message ("--url or --env")
     * @throws CliException saying what to check when there is no connection
     */
    static void await(CompletableFuture<?> ready, Duration timeout, Object origin, String where)
            throws InterruptedException {
        try {
            ready.get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "no connection within " + timeout : CliProblems.message(e);
            throw new CliException(
                    "cannot connect to " + origin + ": " + why + ". Check " + where + ", --trust (the server's CA) and"
                            + " the credentials; nothing was sent",
                    ExitCodes.NO_ANSWER,
                    e);
        }
    }
}
