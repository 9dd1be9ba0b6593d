package io.aapns.mock;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection to a mock server: its counters for assertions, its own {@link Faults}, and levers to end it on
 * command. Obtained from {@link MockApnsServer#connections()} or a {@link MockServerListener}.
 */
public final class MockConnection {

    private final int id;
    private final Channel channel;
    private final X509Certificate clientCertificate;
    private final String certificateTopic;
    private final boolean management;
    private final Faults faults = new Faults();
    final AtomicInteger streams = new AtomicInteger();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    volatile MockHttp2Handler handler;

    MockConnection(
            int id, Channel channel, X509Certificate clientCertificate, String certificateTopic, boolean management) {
        this.id = id;
        this.channel = channel;
        this.clientCertificate = clientCertificate;
        this.certificateTopic = certificateTopic;
        this.management = management;
    }

    /** True for a connection to the channel management port ({@link MockApnsServer#channelsUri()}). */
    public boolean isManagement() {
        return management;
    }

    /** The connection's number, from 1 in order of opening. */
    public int id() {
        return id;
    }

    /** The client's address. */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** True until the connection is closed. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** The topic of the TLS client certificate, if the client presented one. */
    public Optional<String> clientCertificateTopic() {
        return Optional.ofNullable(certificateTopic);
    }

    /** The TLS client certificate the client presented, if it did (to tell which one a client used). */
    public Optional<X509Certificate> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    /** Faults that apply to this connection only; they take precedence over the server's. */
    public Faults faults() {
        return faults;
    }

    /** How many streams the client opened on this connection. */
    public int streamCount() {
        return streams.get();
    }

    /** How many requests were answered 200. */
    public int acceptedCount() {
        return accepted.get();
    }

    /** How many requests were answered, with any status. */
    public int answeredCount() {
        return answered.get();
    }

    /**
     * Sends a graceful GOAWAY now, with the highest stream received so far as last-stream-id and {@code {"reason":
     * reason}} as debug data (no debug data if {@code reason} is null); the connection closes once those streams are
     * answered.
     */
    public void goAway(String reason) {
        MockHttp2Handler h = handler;
        if (h != null) {
            channel.eventLoop().execute(() -> h.goAwayNow(reason));
        }
    }

    /** Closes the TCP connection at once: no GOAWAY, no TLS close_notify, unanswered streams lost. */
    public void close() {
        MockHttp2Handler h = handler;
        channel.eventLoop().execute(() -> {
            if (h != null) {
                h.closeAbruptly();
            } else {
                channel.close();
            }
        });
    }

    /** Announces a new SETTINGS_MAX_CONCURRENT_STREAMS to this client. */
    public void maxConcurrentStreams(int streams) {
        MockHttp2Handler h = Objects.requireNonNull(handler, "connection is not ready");
        channel.eventLoop().execute(() -> h.announceMaxConcurrentStreams(streams));
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "MockConnection[" + id + (management ? " management" : "") + (isOpen() ? " open" : " closed")
                + ", streams=" + streams + "]";
    }
}
