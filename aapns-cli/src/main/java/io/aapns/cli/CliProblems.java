package io.aapns.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what a command threw into the message and exit code the user sees. */
final class CliProblems {

    private CliProblems() {}

    static CliException toCliException(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof CliException cli) {
            return cli;
        }
        if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
            return new CliException(t.getMessage(), ExitCodes.USAGE, t);
        }
        if (t instanceof UncheckedIOException || t instanceof IOException) {
            return new CliException(message(t), ExitCodes.USAGE, t);
        }
        return new CliException("unexpected " + message(t), ExitCodes.USAGE, t);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10 && (t instanceof CompletionException || t instanceof ExecutionException); i++) {
            if (t.getCause() == null) {
                break;
            }
            t = t.getCause();
        }
        return t;
    }

    /** A failure's message with its causes' (up to a few), for one line. */
    static String message(Throwable e) {
        StringBuilder sb = new StringBuilder();
        Throwable t = unwrap(e);
        for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
            String m = t.getMessage();
            String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
            if (sb.indexOf(text) >= 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(text);
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
