package io.aapns.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The device tokens of one {@code send}: the command line's, or one per line of a file or standard input (blank lines
 * and lines starting with {@code #} are skipped). A file or stream is read on its own thread, so that a Ctrl-C is seen
 * even while standard input waits for a line.
 */
abstract class TokenSource implements AutoCloseable {

    /** The next token, or null at the end or once {@code stop} is set. */
    abstract String next(AtomicBoolean stop) throws InterruptedException;

    /** How many tokens there are, or -1 when that is not known (standard input). */
    abstract long total();

    @Override
    public void close() {}

    static TokenSource of(List<String> tokens) {
        return new ListSource(tokens);
    }

    /** The lines of {@code file}, counted first so that progress can show a total. */
    static TokenSource of(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("--tokens " + file + ": the file does not exist (give one token per line, or - for"
                    + " standard input)");
        }
        long total;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            total = lines.filter(TokenSource::isToken).count();
            return new StreamSource(Files.newInputStream(file), file.toString(), total);
        } catch (IOException | UncheckedIOException e) {
            throw new CliException("cannot read --tokens " + file + ": " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** The lines of standard input. */
    static TokenSource of(InputStream in) {
        return new StreamSource(in, "standard input", -1);
    }

    static boolean isToken(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("#");
    }

    private static final class ListSource extends TokenSource {
        private final Iterator<String> tokens;
        private final long total;

        ListSource(List<String> tokens) {
            this.tokens = List.copyOf(tokens).iterator();
            this.total = tokens.size();
        }

        @Override
        String next(AtomicBoolean stop) {
            return !stop.get() && tokens.hasNext() ? tokens.next() : null;
        }

        @Override
        long total() {
            return total;
        }
    }

    private static final class StreamSource extends TokenSource {
        private static final String END = new String("end of input"); // compared by identity

        private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(4096);
        private final InputStream in;
        private final long total;
        private final Thread reader;
        private volatile String failure;
        private boolean ended;

        StreamSource(InputStream in, String name, long total) {
            this.in = in;
            this.total = total;
            this.reader = new Thread(() -> read(name), "aapns-tokens");
            reader.setDaemon(true); // a Ctrl-C must not wait for a line that never comes
            reader.start();
        }

        private void read(String name) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (isToken(line)) {
                        lines.put(line.strip());
                    }
                }
            } catch (IOException e) {
                failure = "cannot read the tokens from " + name + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                lines.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        String next(AtomicBoolean stop) throws InterruptedException {
            while (!ended && !stop.get()) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == END) {
                    ended = true;
                    if (failure != null) {
                        throw new CliException(failure);
                    }
                } else if (line != null) {
                    return line;
                }
            }
            return null;
        }

        @Override
        long total() {
            return total;
        }

        @Override
        public void close() {
            reader.interrupt(); // ends a reader waiting to hand over a line; one blocked in read() ends with the JVM
        }
    }
}
