package io.aapns.mock;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP/2 connections of a mock server, numbered from 1 in order of opening, and the SETTINGS_MAX_CONCURRENT_STREAMS
 * they announce: the Builder's initial hold until the limit is changed at run time, one stream for a token connection
 * without a valid token yet, the server's limit otherwise. Thread-safe.
 */
final class MockConnections {

    private final int builtLimit;
    private final Long builtInitialLimit;
    private final List<MockConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int maxConcurrentStreams;
    /** The Builder's initialMaxConcurrentStreams until the limit is changed at run time, else null. */
    private volatile Long initialStreamLimit;

    MockConnections(int maxConcurrentStreams, Long initialMaxConcurrentStreams) {
        this.builtLimit = maxConcurrentStreams;
        this.builtInitialLimit = initialMaxConcurrentStreams;
        reset();
    }

    /** A new connection, numbered next, and kept. */
    MockConnection open(
            Channel channel,
            java.security.cert.X509Certificate clientCertificate,
            String clientTopic,
            boolean management) {
        MockConnection connection =
                new MockConnection(ids.incrementAndGet(), channel, clientCertificate, clientTopic, management);
        connections.add(connection);
        return connection;
    }

    /** The limit a new connection announces in its first SETTINGS. */
    long initialStreams(boolean tokenAuth) {
        Long held = initialStreamLimit;
        return held != null ? held : tokenAuth ? 1 : maxConcurrentStreams;
    }

    /** Changes the limit, ends the initial hold, and sends the limit to every live connection. */
    void maxConcurrentStreams(int streams) {
        maxConcurrentStreams = streams;
        initialStreamLimit = null;
        for (MockConnection connection : connections) {
            if (connection.isOpen() && connection.handler != null) {
                connection.maxConcurrentStreams(streams);
            }
        }
    }

    int maxConcurrentStreams() {
        return maxConcurrentStreams;
    }

    /** True while new connections are held at the Builder's initialMaxConcurrentStreams. */
    boolean holdsInitialStreamLimit() {
        return initialStreamLimit != null;
    }

    List<MockConnection> all() {
        return List.copyOf(connections);
    }

    List<MockConnection> openNow() {
        List<MockConnection> open = new ArrayList<>();
        for (MockConnection connection : connections) {
            if (connection.isOpen()) {
                open.add(connection);
            }
        }
        return open;
    }

    /** Forgets every connection (ids start again from 1) and restores the built limits. */
    void reset() {
        connections.clear();
        ids.set(0);
        maxConcurrentStreams = builtLimit;
        initialStreamLimit = builtInitialLimit;
    }
}
