package io.aapns.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MockProxy} spoken to byte by byte: the tunnel, what it records, and its refusals. */
class MockProxyTest {
    private ServerSocket upstream;
    private Thread echo;

    @BeforeEach
    void startEcho() throws Exception {
        upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        echo = new Thread(() -> {
            while (!upstream.isClosed()) {
                try (Socket s = upstream.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buffer = new byte[256];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (Exception closedOrDone) {
                    // next client, or the end
                }
            }
        });
        echo.setDaemon(true);
        echo.start();
    }

    @AfterEach
    void stopEcho() throws Exception {
        upstream.close();
        echo.join(5_000);
    }

    private InetSocketAddress echoAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort());
    }

    private static Socket connect(MockProxy proxy) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads an HTTP response head, up to the blank line. */
    private static String head(InputStream in) throws Exception {
        StringBuilder out = new StringBuilder();
        while (out.length() < 4096 && !out.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.append((char) b);
        }
        return out.toString();
    }

    private static String echoed(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] back = new byte[text.length()];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back, StandardCharsets.US_ASCII);
    }

    @Test
    void anHttpConnectOpensATunnelAndIsRecorded() throws Exception {
        try (MockProxy proxy = MockProxy.http(echoAddress()).start();
                Socket s = connect(proxy)) {
            s.getOutputStream()
                    .write("CONNECT api.push.apple.com:443 HTTP/1.1\r\nHost: api.push.apple.com:443\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            assertThat(echoed(s, "through the tunnel")).isEqualTo("through the tunnel");
            assertThat(proxy.requests()).containsExactly(new MockProxy.Requested("api.push.apple.com:443", "http"));
            assertThat(proxy.tunnelCount()).isEqualTo(1);
        }
    }

    @Test
    void httpCredentialsAreChecked() throws Exception {
        try (MockProxy proxy =
                MockProxy.http(echoAddress()).credentials("push", "s3cret").start()) {
            try (Socket s = connect(proxy)) {
                s.getOutputStream()
                        .write("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 407").contains("proxy-authenticate: Basic");
            }
            String auth = Base64.getEncoder().encodeToString("push:s3cret".getBytes(StandardCharsets.US_ASCII));
            try (Socket s = connect(proxy)) {
                s.getOutputStream()
                        .write(("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\nProxy-Authorization: Basic " + auth
                                        + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aSocks5ConnectToAHostNameOpensATunnel() throws Exception {
        try (MockProxy proxy = MockProxy.socks5(echoAddress()).start();
                Socket s = connect(proxy)) {
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(new byte[] {5, 1, 0}); // version 5, one method: no authentication
            byte[] choice = new byte[2];
            in.readFully(choice);
            assertThat(choice).containsExactly(5, 0);
            byte[] host = "api.push.apple.com".getBytes(StandardCharsets.US_ASCII);
            byte[] request = new byte[7 + host.length];
            request[0] = 5; // version
            request[1] = 1; // CONNECT
            request[3] = 3; // domain name
            request[4] = (byte) host.length;
            System.arraycopy(host, 0, request, 5, host.length);
            request[5 + host.length] = 1; // port 443
            request[6 + host.length] = (byte) 0xbb;
            out.write(request);
            byte[] reply = new byte[10];
            in.readFully(reply);
            assertThat(reply[1]).as("reply code").isEqualTo((byte) 0);
            assertThat(echoed(s, "socks tunnel")).isEqualTo("socks tunnel");
            assertThat(proxy.requests()).containsExactly(new MockProxy.Requested("api.push.apple.com:443", "DOMAIN"));
        }
    }

    @Test
    void aRefusingProxyAnswersWithItsStatus() throws Exception {
        try (MockProxy proxy = MockProxy.http(echoAddress()).refuse(403).start();
                Socket s = connect(proxy)) {
            s.getOutputStream()
                    .write("CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 403");
            assertThat(proxy.tunnelCount()).isZero();
        }
    }
}
