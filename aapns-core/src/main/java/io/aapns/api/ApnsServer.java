package io.aapns.api;

import io.aapns.connection.Connection;
import java.net.URI;
import java.util.Objects;

/**
 * Where notifications go: Apple's production or development (sandbox) service, on port 443 or the alternative port 2197
 * for firewalls that allow only that, or any other origin (a mock server, a proxy). Immutable.
 */
public final class ApnsServer {

    /** Apple's alternative port, for networks that block 443 to Apple. */
    public static final int ALT_PORT = 2197;

    private static final String PRODUCTION_HOST = "api.push.apple.com";
    private static final String DEVELOPMENT_HOST = "api.sandbox.push.apple.com";

    private final URI origin;
    private final boolean development;

    private ApnsServer(URI origin, boolean development) {
        this.origin = Connection.requireOrigin(origin);
        this.development = development;
    }

    /** Apple's production service: {@code https://api.push.apple.com}. */
    public static ApnsServer production() {
        return new ApnsServer(URI.create("https://" + PRODUCTION_HOST), false);
    }

    /** Apple's development (sandbox) service: {@code https://api.sandbox.push.apple.com}. */
    public static ApnsServer development() {
        return new ApnsServer(URI.create("https://" + DEVELOPMENT_HOST), true);
    }

    /**
     * Any other origin, {@code https://host[:port]}: a mock server in tests, a proxy.
     *
     * @throws IllegalArgumentException if {@code origin} is not an https origin
     */
    public static ApnsServer of(URI origin) {
        Objects.requireNonNull(origin, "origin");
        return new ApnsServer(origin, DEVELOPMENT_HOST.equalsIgnoreCase(origin.getHost()));
    }

    /** The same host on Apple's alternative port 2197. */
    public ApnsServer altPort() {
        return new ApnsServer(URI.create("https://" + origin.getHost() + ":" + ALT_PORT), development);
    }

    /** The origin requests are sent to. */
    public URI origin() {
        return origin;
    }

    /** True for Apple's development (sandbox) service. */
    public boolean isDevelopment() {
        return development;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApnsServer other && origin.equals(other.origin);
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
