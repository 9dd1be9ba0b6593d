package io.aapns.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a command may use of the world outside it: environment variables, standard input and output, whether it runs on
 * a terminal, how to ask for a password, how Ctrl-C reaches it, and how long a server command runs. The system's in
 * {@link Main}; tests build their own, so that commands run in-process and are checked.
 */
public final class CliEnvironment {

    /** Asks the user for a secret without echoing it; null when there is no one to ask. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] ask(String prompt);
    }

    /** Where Ctrl-C (or another request to stop the JVM) is delivered. */
    public interface Interrupts {
        /**
         * Calls {@code onInterrupt} when the user asks to stop, then lets the JVM end once {@code finished} is counted
         * down or {@code maxWait} has passed. Closing the handle takes the hook away.
         */
        AutoCloseable onInterrupt(Runnable onInterrupt, CountDownLatch finished, Duration maxWait);
    }

    /** Blocks a server command (mock) until it should stop. */
    @FunctionalInterface
    public interface Lifetime {
        void await() throws InterruptedException;
    }

    private final Map<String, String> variables;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final PasswordPrompt prompt;
    private final Interrupts interrupts;
    private final Lifetime lifetime;

    private CliEnvironment(Builder b) {
        this.variables = Map.copyOf(b.variables);
        this.in = b.in;
        this.out = b.out;
        this.err = b.err;
        this.terminal = b.terminal;
        this.prompt = b.prompt;
        this.interrupts = b.interrupts;
        this.lifetime = b.lifetime;
    }

    /** The JVM's: real environment variables, System.in/out/err, the console, shutdown hooks. */
    static CliEnvironment system() {
        java.io.Console console = System.console();
        Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        return builder()
                .variables(System.getenv())
                .in(System.in)
                .out(new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true))
                .err(new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true))
                .terminal(console != null && !"dumb".equals(System.getenv("TERM")))
                .prompt(console == null ? null : text -> console.readPassword("%s", text))
                .interrupts(CliEnvironment::shutdownHook)
                .lifetime(() -> new CountDownLatch(1).await())
                .build();
    }

    private static AutoCloseable shutdownHook(Runnable onInterrupt, CountDownLatch finished, Duration maxWait) {
        Thread hook = new Thread(
                () -> {
                    onInterrupt.run();
                    try {
                        finished.await(maxWait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "aapns-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to take away
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An environment variable, or null. */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    InputStream in() {
        return in;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    boolean terminal() {
        return terminal;
    }

    PasswordPrompt prompt() {
        return prompt;
    }

    Interrupts interrupts() {
        return interrupts;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    /** Builds a {@link CliEnvironment}; everything has a quiet default (no variables, no terminal, no prompt). */
    public static final class Builder {
        private Map<String, String> variables = Map.of();
        private InputStream in = InputStream.nullInputStream();
        private PrintWriter out = new PrintWriter(java.io.Writer.nullWriter());
        private PrintWriter err = new PrintWriter(java.io.Writer.nullWriter());
        private boolean terminal;
        private PasswordPrompt prompt;
        private Interrupts interrupts = (onInterrupt, finished, maxWait) -> () -> {};
        private Lifetime lifetime = () -> new CountDownLatch(1).await();

        private Builder() {}

        public Builder variables(Map<String, String> variables) {
            this.variables = Objects.requireNonNull(variables, "variables");
            return this;
        }

        public Builder in(InputStream in) {
            this.in = Objects.requireNonNull(in, "in");
            return this;
        }

        public Builder out(PrintWriter out) {
            this.out = Objects.requireNonNull(out, "out");
            return this;
        }

        public Builder err(PrintWriter err) {
            this.err = Objects.requireNonNull(err, "err");
            return this;
        }

        public Builder terminal(boolean terminal) {
            this.terminal = terminal;
            return this;
        }

        /** How to ask for a password; null (the default) when no one can be asked. */
        public Builder prompt(PasswordPrompt prompt) {
            this.prompt = prompt;
            return this;
        }

        public Builder interrupts(Interrupts interrupts) {
            this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
            return this;
        }

        public Builder lifetime(Lifetime lifetime) {
            this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
            return this;
        }

        public CliEnvironment build() {
            return new CliEnvironment(this);
        }
    }
}
