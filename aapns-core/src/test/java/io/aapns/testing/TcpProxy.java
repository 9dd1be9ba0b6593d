package io.aapns.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP relay in front of a test server that can go silent on command: while frozen it forwards nothing in
 * either direction (a dead network, a hung server), without closing anything.
 *
 * <p>{@link #freeze()} silences every connection; {@link #freezeConnection(int)} one of them, picked by its index:
 * connections are numbered from 0 in the order the proxy accepts them, {@link #connectionCount()} says how many it has
 * accepted. The proxy cannot see inside TLS, so to freeze a connection once its TLS handshake and HTTP/2 SETTINGS are
 * done, wait until the client says the connection is ready, then freeze it by index: from then on TCP stays open and
 * nothing moves. {@link #freezeNext()} freezes the next connection from its first byte (its TLS handshake never ends).
 *
 * <p>Each direction of each connection has one thread and one 16 KiB buffer; while frozen, what the peers send waits in
 * that buffer and in the kernel's socket buffers (TCP flow control stops the sender), and is delivered in order on
 * thaw. The threads are daemons; {@link #close()} closes every socket and ends them.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int BUFFER_BYTES = 16 * 1024;
    /** Accepted connections beyond this are closed at once: a runaway reconnect loop stays bounded. */
    private static final int MAX_CONNECTIONS = 1024;

    private static final long FREEZE_WAIT_MILLIS = 5_000;

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Set<Integer> frozenIndexes = ConcurrentHashMap.newKeySet();
    /** Guards every freeze flag and every pump's writing flag; pumps wait on it. */
    private final Object gate = new Object();

    private boolean frozen;
    private int accepted;
    private volatile boolean closed;

    /** Starts a relay on an ephemeral loopback port to {@code upstreamPort} on loopback. */
    public TcpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        start(this::acceptLoop, threadName("accept"));
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Stops forwarding in both directions on every connection until {@link #thaw()}. Bytes being written when it is
     * called are finished first; when it returns, nothing more moves.
     */
    public void freeze() {
        synchronized (gate) {
            frozen = true;
            awaitWritesLocked(null);
        }
    }

    /** Resumes forwarding on every connection not frozen by index. */
    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** How many connections the proxy has accepted so far; the next one gets this as its index. */
    public int connectionCount() {
        synchronized (gate) {
            return accepted;
        }
    }

    /**
     * Freezes the connection accepted {@code index}-th (from 0): now if it is accepted, else from its first byte when
     * it is. When it returns, nothing more moves on that connection (bytes being written are finished first); other
     * connections go on.
     */
    public void freezeConnection(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative, got " + index);
        }
        synchronized (gate) {
            frozenIndexes.add(index);
            awaitWritesLocked(index);
        }
    }

    /**
     * Freezes the next connection the proxy accepts from its first byte: TCP connects, nothing else moves. Returns its
     * index, for {@link #thawConnection(int)}.
     */
    public int freezeNext() {
        synchronized (gate) {
            int index = accepted;
            frozenIndexes.add(index);
            return index;
        }
    }

    /** Resumes forwarding on the connection {@code index} (unless {@link #freeze()} holds every one). */
    public void thawConnection(int index) {
        synchronized (gate) {
            frozenIndexes.remove(index);
            gate.notifyAll();
        }
    }

    /** Waits, at most a few seconds, until no pump (of connection {@code index}, or any) is writing. */
    private void awaitWritesLocked(Integer index) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FREEZE_WAIT_MILLIS);
        while (!closed && writing(index)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IllegalStateException("a write through the proxy did not finish within " + FREEZE_WAIT_MILLIS
                        + " ms: is a peer not reading?");
            }
            try {
                gate.wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean writing(Integer index) {
        for (Link link : links) {
            if ((index == null || link.index == index) && link.writers > 0) {
                return true;
            }
        }
        return false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            int index;
            synchronized (gate) {
                index = accepted++;
            }
            if (index >= MAX_CONNECTIONS || closed) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
            } catch (IOException e) {
                // nothing to relay to: the client sees its connection end rather than hang
                closeQuietly(upstream);
                closeQuietly(client);
                continue;
            }
            Link link = new Link(index, client, upstream);
            links.add(link);
            if (closed) {
                link.close();
                return;
            }
            start(() -> pump(link, client, upstream), threadName(index + "-up"));
            start(() -> pump(link, upstream, client), threadName(index + "-down"));
        }
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (gate) {
                    while (!closed && (frozen || frozenIndexes.contains(link.index))) {
                        gate.wait();
                    }
                    if (closed) {
                        return;
                    }
                    link.writers++;
                }
                try {
                    out.write(buffer, 0, n);
                    out.flush();
                } finally {
                    synchronized (gate) {
                        link.writers--;
                        gate.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // either side went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            link.close();
        }
    }

    /** Threads are named {@code tcp-proxy-<port>-...}, after the port this proxy listens on. */
    private String threadName(String role) {
        return "tcp-proxy-" + port() + "-" + role;
    }

    private void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting, closes every connection and waits (a few seconds at most) for the threads to end. */
    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        listener.close();
        for (Link link : links) {
            link.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One relayed connection: the client's socket and the one to the upstream server. */
    private static final class Link {
        final int index;
        final Socket client;
        final Socket upstream;
        /** Pumps of this link in the middle of a write; guarded by the proxy's gate. */
        int writers;

        Link(int index, Socket client, Socket upstream) {
            this.index = index;
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }
}
