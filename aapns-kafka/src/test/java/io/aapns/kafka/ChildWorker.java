package io.aapns.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker application ({@link WorkerApplication#main}) in a child JVM: this JVM's {@code java} and class path (and
 * Netty leak detection settings), its output in a file rather than in the test's. {@link #kill} ends it abruptly
 * ({@code destroyForcibly}: SIGKILL on Linux), as a crash would; {@link #close} kills it if it still runs, so that a
 * failing test leaves no worker behind.
 */
final class ChildWorker implements AutoCloseable {

    private static final long EXIT_SECONDS = 30;

    private final Process process;
    private final Path log;

    private ChildWorker(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a worker application with {@code properties} in a child JVM writing its output to {@code log}. */
    static ChildWorker start(Map<String, String> properties, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElseThrow(() -> new IllegalStateException("the java command of this JVM is not known")));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("io.netty.leakDetection."))
                .sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkerApplication.class.getName());
        command.addAll(WorkerApplication.argumentsOf(properties));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildWorker(process, log);
    }

    /** Throws, with the end of the child's output, if the child has exited. */
    void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("the child worker exited with " + process.exitValue() + "; its output ("
                    + log.toAbsolutePath() + ") ends with:\n" + tail());
        }
    }

    /** Kills the child abruptly (SIGKILL on Linux), waits for it to exit, and returns its exit code. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(
                    "the child worker " + process.pid() + " did not exit " + EXIT_SECONDS + " s after SIGKILL");
        }
        return process.exitValue();
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
