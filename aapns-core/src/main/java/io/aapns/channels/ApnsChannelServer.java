package io.aapns.channels;

import io.aapns.connection.Connection;
import java.net.URI;
import java.util.Objects;

/**
 * Where channel management requests go: Apple's management host of the production or development environment (each on
 * its own port, as Apple documents them), or any other origin (a mock server). A channel belongs to one environment: a
 * sandbox channel cannot be used in production. Immutable.
 */
public final class ApnsChannelServer {

    /** Apple's production management origin. */
    static final URI PRODUCTION = URI.create("https://api-manage-broadcast.push.apple.com:2196");
    /** Apple's development (sandbox) management origin. */
    static final URI DEVELOPMENT = URI.create("https://api-manage-broadcast.sandbox.push.apple.com:2195");

    private final URI origin;
    private final boolean development;

    private ApnsChannelServer(URI origin, boolean development) {
        this.origin = Connection.requireOrigin(origin);
        this.development = development;
    }

    /** Apple's production management host: {@code https://api-manage-broadcast.push.apple.com:2196}. */
    public static ApnsChannelServer production() {
        return new ApnsChannelServer(PRODUCTION, false);
    }

    /** Apple's development management host: {@code https://api-manage-broadcast.sandbox.push.apple.com:2195}. */
    public static ApnsChannelServer development() {
        return new ApnsChannelServer(DEVELOPMENT, true);
    }

    /**
     * Any other origin, {@code https://host[:port]}: a mock server's {@code channelsUri()} in tests.
     *
     * @throws IllegalArgumentException if {@code origin} is not an https origin
     */
    public static ApnsChannelServer of(URI origin) {
        Objects.requireNonNull(origin, "origin");
        return new ApnsChannelServer(origin, DEVELOPMENT.getHost().equalsIgnoreCase(origin.getHost()));
    }

    /** The origin requests are sent to. */
    public URI origin() {
        return origin;
    }

    /** True for Apple's development environment. */
    public boolean isDevelopment() {
        return development;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApnsChannelServer other && origin.equals(other.origin);
    }

    @Override
    public int hashCode() {
        return origin.hashCode();
    }

    @Override
    public String toString() {
        return origin.toString();
    }
}
