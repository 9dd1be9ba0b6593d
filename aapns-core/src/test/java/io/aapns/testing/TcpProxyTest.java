package io.aapns.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay with plain sockets in front of an echo server: forwarding, freezing all or one, closing. */
class TcpProxyTest {

    /** How long a read waits before the test concludes that nothing is coming (a frozen connection). */
    private static final int SILENCE_MILLIS = 300;

    private Echo echo;
    private TcpProxy proxy;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        echo = new Echo();
        proxy = new TcpProxy(echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        proxy.close();
        echo.close();
    }

    @Test
    void relaysBothWaysAndCountsConnections() throws IOException {
        assertThat(proxy.connectionCount()).isZero();
        Socket a = connect();
        Socket b = connect();

        assertThat(roundTrip(a, "hello")).isEqualTo("hello");
        assertThat(roundTrip(b, "world")).isEqualTo("world");
        assertThat(proxy.connectionCount()).isEqualTo(2);
    }

    @Test
    void freezingOneConnectionLeavesTheOthersFlowing() throws IOException {
        Socket first = connect();
        Socket second = connect();
        assertThat(roundTrip(first, "a")).isEqualTo("a");
        assertThat(roundTrip(second, "b")).isEqualTo("b");

        proxy.freezeConnection(1);

        send(second, "held");
        assertSilent(second);
        assertThat(roundTrip(first, "still")).isEqualTo("still");
        assertThat(second.isClosed()).isFalse();

        proxy.thawConnection(1);
        assertThat(read(second, 4)).isEqualTo("held");
    }

    @Test
    void freezeNextFreezesTheNextConnectionFromItsFirstByte() throws IOException {
        Socket before = connect();
        assertThat(roundTrip(before, "x")).isEqualTo("x");

        int index = proxy.freezeNext();
        Socket frozen = connect();

        assertThat(index).isEqualTo(1);
        send(frozen, "hello");
        assertSilent(frozen);
        assertThat(proxy.connectionCount()).isEqualTo(2);
        assertThat(roundTrip(before, "y")).isEqualTo("y");

        proxy.thawConnection(index);
        assertThat(read(frozen, 5)).isEqualTo("hello");
    }

    @Test
    void freezeStopsEveryConnectionUntilThaw() throws IOException {
        Socket a = connect();
        Socket b = connect();
        assertThat(roundTrip(a, "1")).isEqualTo("1");
        assertThat(roundTrip(b, "2")).isEqualTo("2");

        proxy.freeze();
        send(a, "3");
        send(b, "4");
        assertSilent(a);
        assertSilent(b);

        proxy.thaw();
        assertThat(read(a, 1)).isEqualTo("3");
        assertThat(read(b, 1)).isEqualTo("4");
    }

    @Test
    void aClientIsClosedWhenTheUpstreamCannotBeReached() throws IOException {
        int nobody;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = free.getLocalPort();
        }
        try (TcpProxy toNobody = new TcpProxy(nobody);
                Socket client = new Socket(InetAddress.getLoopbackAddress(), toNobody.port())) {
            client.setSoTimeout(10_000);

            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void closeEndsEveryConnectionAndThread() throws IOException {
        Socket a = connect();
        assertThat(roundTrip(a, "x")).isEqualTo("x");
        proxy.freezeConnection(0);
        String threads = "tcp-proxy-" + proxy.port() + "-";
        assertThat(Thread.getAllStackTraces().keySet())
                .anyMatch(t -> t.getName().startsWith(threads));

        proxy.close();

        a.setSoTimeout(10_000);
        assertThat(endOfStream(a)).isTrue();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith(threads) && t.isAlive());
    }

    @Test
    void rejectsANegativeIndex() {
        assertThatThrownBy(() -> proxy.freezeConnection(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(10_000);
        clients.add(socket);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        send(socket, text);
        return read(socket, text.length());
    }

    /** Reads exactly {@code length} bytes (at most ten seconds between bytes). */
    private static String read(Socket socket, int length) throws IOException {
        byte[] bytes = socket.getInputStream().readNBytes(length);
        return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Nothing arrives within {@link #SILENCE_MILLIS}; the socket's own timeout is restored. */
    private static void assertSilent(Socket socket) throws IOException {
        int timeout = socket.getSoTimeout();
        socket.setSoTimeout(SILENCE_MILLIS);
        try {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        } finally {
            socket.setSoTimeout(timeout);
        }
    }

    private static boolean endOfStream(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true; // closed by a reset: ended all the same
        }
    }

    /** An upstream that sends back what it reads, one daemon thread per connection. */
    private static final class Echo implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Echo() throws IOException {
            Thread acceptor = new Thread(this::accept, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    Thread echo = new Thread(() -> echo(socket), "echo");
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void echo(Socket socket) {
            byte[] buffer = new byte[1024];
            try (InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException gone) {
                // the proxy closed it
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
