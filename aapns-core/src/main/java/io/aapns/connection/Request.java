package io.aapns.connection;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP/2 request to APNs: a method ({@code POST} by default; {@code GET} and {@code DELETE} for the channel
 * management API), a path such as {@code /3/device/<token>}, headers, a payload (none for a body-less request: its
 * HEADERS frame carries END_STREAM) and a deadline. Immutable; build one with {@link #builder(String)} (POST),
 * {@link #get(String)} or {@link #delete(String)}.
 *
 * <p>The payload is either a byte array (copied when set, written once into a pooled buffer at send time) or a
 * {@link ByteBuf}. A {@code ByteBuf} is <em>not</em> owned by the request: {@link Connection#post} takes its own
 * reference before it returns, and the caller releases its reference whenever it no longer needs the request.
 *
 * <p>The deadline is a timeout from the moment of {@code post}, an {@link Instant}, or a monotonic
 * {@link System#nanoTime()} value (best for retries across connections). Without one the connection's
 * {@link ConnectionOptions#requestTimeout() default timeout} applies.
 */
public final class Request {
    private static final byte[] EMPTY = new byte[0];

    /** {@code POST}: notifications, broadcasts, channel creation. */
    public static final String POST = "POST";
    /** {@code GET}: reading a channel or listing channels. */
    public static final String GET = "GET";
    /** {@code DELETE}: deleting a channel. */
    public static final String DELETE = "DELETE";

    static final AsciiString POST_ASCII = AsciiString.cached(POST);
    private static final AsciiString GET_ASCII = AsciiString.cached(GET);
    private static final AsciiString DELETE_ASCII = AsciiString.cached(DELETE);

    /** The {@code :method}: one of the pre-built constants, so the writer compares nothing per request. */
    final AsciiString method;

    final AsciiString pathAscii;
    final AsciiString[] headerNames;
    final AsciiString[] headerValues;
    /** Headers in use: the arrays may be longer (they are shared with the builder that made them). */
    final int headerCount;

    final byte[] payloadBytes;
    final ByteBuf payloadBuffer;
    private final Duration timeout;
    private final Instant deadline;
    private final long deadlineNanos;
    private final boolean hasDeadlineNanos;

    private Request(Builder b) {
        this.method = b.method;
        this.pathAscii = b.path;
        // shared, not copied: the builder copies them before it changes anything (b.shared)
        this.headerNames = b.names;
        this.headerValues = b.values;
        this.headerCount = b.size;
        b.shared = true;
        this.payloadBytes = b.payloadBytes;
        this.payloadBuffer = b.payloadBuffer;
        this.timeout = b.timeout;
        this.deadline = b.deadline;
        this.deadlineNanos = b.deadlineNanos;
        this.hasDeadlineNanos = b.hasDeadlineNanos;
    }

    /** A copy sharing everything but the deadline (nothing is re-validated or copied). */
    private Request(Request r, long deadlineNanos) {
        this.method = r.method;
        this.pathAscii = r.pathAscii;
        this.headerNames = r.headerNames;
        this.headerValues = r.headerValues;
        this.headerCount = r.headerCount;
        this.payloadBytes = r.payloadBytes;
        this.payloadBuffer = r.payloadBuffer;
        this.timeout = null;
        this.deadline = null;
        this.deadlineNanos = deadlineNanos;
        this.hasDeadlineNanos = true;
    }

    /**
     * This request with a monotonic deadline instead of its own ({@link Builder#deadlineNanos}): the same as
     * {@code newBuilder().deadlineNanos(nanoTime).build()}, without copying the headers or the payload, for pools that
     * fix a request's deadline once for all its retries.
     */
    public Request withDeadlineNanos(long nanoTime) {
        if (hasDeadlineNanos && deadlineNanos == nanoTime) {
            return this;
        }
        return new Request(this, nanoTime);
    }

    /** Starts a {@code POST} to {@code path}, which must begin with {@code /}. */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /**
     * Starts a request to {@code path}, which must begin with {@code /}; an {@link AsciiString} is used as it is,
     * without a copy (the high-level client builds device paths that way).
     */
    public static Builder builder(CharSequence path) {
        return new Builder(path);
    }

    /** Starts a body-less {@code GET} of {@code path}, which must begin with {@code /}. */
    public static Builder get(String path) {
        return new Builder(path).method(GET);
    }

    /** Starts a body-less {@code DELETE} of {@code path}, which must begin with {@code /}. */
    public static Builder delete(String path) {
        return new Builder(path).method(DELETE);
    }

    /** A builder holding this request's values, to derive a changed copy. */
    public Builder newBuilder() {
        Builder b = new Builder(pathAscii);
        b.method = method;
        b.names = Arrays.copyOf(headerNames, Math.max(headerCount, 4));
        b.values = Arrays.copyOf(headerValues, b.names.length);
        b.size = headerCount;
        b.payloadBytes = payloadBytes;
        b.payloadBuffer = payloadBuffer;
        b.timeout = timeout;
        b.deadline = deadline;
        b.deadlineNanos = deadlineNanos;
        b.hasDeadlineNanos = hasDeadlineNanos;
        return b;
    }

    /** The method: {@link #POST}, {@link #GET} or {@link #DELETE}. */
    public String method() {
        return method.toString();
    }

    /** Whether the request has a body: false for a body-less request (END_STREAM on its HEADERS). */
    public boolean hasPayload() {
        return payloadLength() > 0;
    }

    /** The request path, such as {@code /3/device/<token>}. */
    public String path() {
        return pathAscii.toString(); // AsciiString keeps the String once made
    }

    /** Whether the path begins with {@code prefix}, without making a {@code String} of the path. */
    public boolean pathStartsWith(CharSequence prefix) {
        return pathAscii.startsWith(prefix);
    }

    /** The value of header {@code name} (case-insensitive), if set. */
    public Optional<String> header(CharSequence name) {
        for (int i = 0; i < headerCount; i++) {
            if (headerNames[i].contentEqualsIgnoreCase(name)) {
                return Optional.of(headerValues[i].toString());
            }
        }
        return Optional.empty();
    }

    /** All headers, lower-case names in the order they were set. */
    public Map<String, String> headers() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < headerCount; i++) {
            m.put(headerNames[i].toString(), headerValues[i].toString());
        }
        return Collections.unmodifiableMap(m);
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payloadBuffer != null ? payloadBuffer.readableBytes() : payloadBytes.length;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        if (payloadBuffer != null) {
            byte[] copy = new byte[payloadBuffer.readableBytes()];
            payloadBuffer.getBytes(payloadBuffer.readerIndex(), copy);
            return copy;
        }
        return payloadBytes.clone();
    }

    /** The timeout counted from {@code post}, if the request was given one. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The wall-clock deadline, if the request was given one. */
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    /**
     * The {@link System#nanoTime()} at which this request expires when posted at {@code nowNanos};
     * {@code defaultTimeoutNanos} applies if it has no deadline of its own.
     */
    public long deadlineNanos(long nowNanos, long defaultTimeoutNanos) {
        if (hasDeadlineNanos) {
            return deadlineNanos;
        }
        if (timeout != null) {
            return nowNanos + saturatedNanos(timeout);
        }
        if (deadline != null) {
            return nowNanos + saturatedNanos(Duration.between(Instant.now(), deadline));
        }
        return nowNanos + defaultTimeoutNanos;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
        }
    }

    @Override
    public String toString() {
        return "Request{" + method + " " + pathAscii + ", " + headerCount + " headers, " + payloadLength()
                + " payload bytes}";
    }

    /** Builds a {@link Request}. Not thread-safe. */
    public static final class Builder {
        private AsciiString method = POST_ASCII;
        private AsciiString path;
        // Headers in insertion order; a handful per request, so arrays beat a map.
        private AsciiString[] names = new AsciiString[4];
        private AsciiString[] values = new AsciiString[4];
        private int size;
        /** A built request uses the arrays: copy them before the next change. */
        private boolean shared;

        private byte[] payloadBytes = EMPTY;
        private ByteBuf payloadBuffer;
        private Duration timeout;
        private Instant deadline;
        private long deadlineNanos;
        private boolean hasDeadlineNanos;

        private Builder(CharSequence path) {
            path(path);
        }

        /**
         * Sets the method: {@link Request#POST} (the default), {@link Request#GET} or {@link Request#DELETE} (in any
         * case). A {@code GET} or {@code DELETE} carries no payload.
         *
         * @throws IllegalArgumentException for any other method, which APNs does not serve
         */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            this.method = switch (method.toUpperCase(Locale.ROOT)) {
                case POST -> POST_ASCII;
                case GET -> GET_ASCII;
                case DELETE -> DELETE_ASCII;
                default ->
                    throw new IllegalArgumentException(
                            "method must be POST, GET or DELETE (the methods APNs serves), not '" + method + "'");
            };
            return this;
        }

        /** Sets the path, which must begin with {@code /}. */
        public Builder path(String path) {
            return path((CharSequence) path);
        }

        /** Sets the path, which must begin with {@code /}; an {@link AsciiString} is kept as it is. */
        public Builder path(CharSequence path) {
            Objects.requireNonNull(path, "path");
            if (path.length() == 0 || path.charAt(0) != '/') {
                throw new IllegalArgumentException("path must begin with '/': " + path);
            }
            if (!printable(path, false)) {
                throw new IllegalArgumentException("path must be printable ASCII without spaces: " + path);
            }
            this.path = path instanceof AsciiString a ? a : new AsciiString(path);
            return this;
        }

        /**
         * Sets header {@code name} (lower-cased) to {@code value}, replacing an earlier value. Pseudo headers (starting
         * with {@code :}) are set by the connection and rejected here.
         *
         * @throws IllegalArgumentException if the name is not a header name, or the value is not visible ASCII
         *     (0x21-0x7e, spaces allowed inside but not at either end); the message names the header and the first
         *     character that is wrong
         */
        public Builder header(CharSequence name, CharSequence value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            // checked as given: converting to bytes first would turn characters above 0xff into '?'
            if (name.length() == 0 || name.charAt(0) == ':' || !printable(name, true)) {
                throw new IllegalArgumentException("not a header name: '" + name + "'");
            }
            AsciiString n = name instanceof AsciiString a ? a : new AsciiString(name);
            int bad = unsendableAt(value);
            if (bad >= 0) {
                throw unsendable(name, value, bad);
            }
            n = n.toLowerCase();
            remove(n);
            if (shared || size == names.length) {
                int capacity = size == names.length ? size * 2 : names.length;
                names = Arrays.copyOf(names, capacity);
                values = Arrays.copyOf(values, capacity);
                shared = false;
            }
            names[size] = n;
            values[size] = value instanceof AsciiString a ? a : new AsciiString(value);
            size++;
            return this;
        }

        /** Printable ASCII without spaces (and without ':' for a header name). */
        private static boolean printable(CharSequence s, boolean name) {
            if (s instanceof AsciiString a) { // bytes, no interface call per character
                byte[] bytes = a.array();
                for (int i = a.arrayOffset(), end = i + a.length(); i < end; i++) {
                    int c = bytes[i] & 0xff;
                    if (c <= ' ' || c >= 0x7f || (name && c == ':')) {
                        return false;
                    }
                }
                return true;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= ' ' || c >= 0x7f || (name && c == ':')) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Where a header value breaks the rule, or -1 if it keeps it: visible ASCII (0x21-0x7e), with spaces (0x20)
         * allowed inside but not at either end. Tabs, other control characters and anything outside ASCII are refused:
         * a strict server resets the stream for them, and a character above 0x7f would not go out as the text it is.
         * Byte-wise for an {@link AsciiString}, no allocation either way (the hot path).
         */
        private static int unsendableAt(CharSequence s) {
            int length = s.length();
            if (s instanceof AsciiString a) { // bytes, no interface call per character
                byte[] bytes = a.array();
                int start = a.arrayOffset();
                for (int i = 0; i < length; i++) {
                    int c = bytes[start + i] & 0xff;
                    if ((c <= ' ' || c >= 0x7f) && (c != ' ' || i == 0 || i == length - 1)) {
                        return i;
                    }
                }
                return -1;
            }
            for (int i = 0; i < length; i++) {
                char c = s.charAt(i);
                if ((c <= ' ' || c >= 0x7f) && (c != ' ' || i == 0 || i == length - 1)) {
                    return i;
                }
            }
            return -1;
        }

        /** The exception for a value that {@link #unsendableAt} refused at {@code index}: what and where. */
        private static IllegalArgumentException unsendable(CharSequence name, CharSequence value, int index) {
            if (value.charAt(index) == ' ') {
                return new IllegalArgumentException(
                        "header " + name + " must not begin or end with a space: '" + value + "'");
            }
            // an AsciiString's charAt gives the byte as Latin-1, as the wire would carry it
            int c = value instanceof AsciiString ? value.charAt(index) : Character.codePointAt(value, index);
            return new IllegalArgumentException("header " + name + " must be visible ASCII (0x21-0x7e, spaces only"
                    + " inside): found " + String.format(Locale.ROOT, "U+%04X", c) + " at index " + index);
        }

        private void remove(AsciiString lowerName) {
            for (int i = 0; i < size; i++) {
                if (names[i].contentEquals(lowerName)) {
                    if (shared) {
                        names = names.clone();
                        values = values.clone();
                        shared = false;
                    }
                    System.arraycopy(names, i + 1, names, i, size - i - 1);
                    System.arraycopy(values, i + 1, values, i, size - i - 1);
                    size--;
                    names[size] = null;
                    values[size] = null;
                    return;
                }
            }
        }

        /** Removes header {@code name} if it was set. */
        public Builder removeHeader(CharSequence name) {
            remove(new AsciiString(name).toLowerCase());
            return this;
        }

        /** Sets the payload to a copy of {@code bytes}. */
        public Builder payload(byte[] bytes) {
            this.payloadBytes = Objects.requireNonNull(bytes, "bytes").clone();
            this.payloadBuffer = null;
            return this;
        }

        /** Sets the payload to the UTF-8 bytes of {@code json}. */
        public Builder payload(String json) {
            this.payloadBytes = Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8);
            this.payloadBuffer = null;
            return this;
        }

        /**
         * Sets the payload to the readable bytes of {@code buffer}, which the request does not own (see
         * {@link Request}). The buffer must not be changed while the request is in use.
         */
        public Builder payload(ByteBuf buffer) {
            this.payloadBuffer = Objects.requireNonNull(buffer, "buffer");
            this.payloadBytes = EMPTY;
            return this;
        }

        /** Removes the payload: the request is body-less (its HEADERS frame carries END_STREAM). */
        public Builder noPayload() {
            this.payloadBytes = EMPTY;
            this.payloadBuffer = null;
            return this;
        }

        /** The request expires {@code timeout} after it is posted. Replaces any other deadline. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            this.deadline = null;
            this.hasDeadlineNanos = false;
            return this;
        }

        /** The request expires at {@code deadline} (wall clock). Replaces any other deadline. */
        public Builder deadline(Instant deadline) {
            this.deadline = Objects.requireNonNull(deadline, "deadline");
            this.timeout = null;
            this.hasDeadlineNanos = false;
            return this;
        }

        /**
         * The request expires when {@link System#nanoTime()} reaches {@code nanoTime}: a monotonic deadline that a pool
         * can keep across retries. Replaces any other deadline.
         */
        public Builder deadlineNanos(long nanoTime) {
            this.deadlineNanos = nanoTime;
            this.hasDeadlineNanos = true;
            this.timeout = null;
            this.deadline = null;
            return this;
        }

        /**
         * Builds the immutable request.
         *
         * @throws IllegalArgumentException if a {@code GET} or {@code DELETE} has a payload
         */
        public Request build() {
            if (method != POST_ASCII
                    && (payloadBuffer != null ? payloadBuffer.isReadable() : payloadBytes.length > 0)) {
                throw new IllegalArgumentException(
                        "a " + method + " request carries no payload: call noPayload()," + " or use POST");
            }
            return new Request(this);
        }
    }
}
