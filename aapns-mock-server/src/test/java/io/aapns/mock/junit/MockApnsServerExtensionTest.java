package io.aapns.mock.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.mock.MockApnsServer;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension's two lifecycles: one server per class (reset between tests) or per test. */
class MockApnsServerExtensionTest {

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @RegisterExtension
        static MockApnsServerExtension apns = new MockApnsServerExtension(b -> b.maxConcurrentStreams(7));

        static int firstPort;

        @Test
        @Order(1)
        void startsOnceAndInjects(MockApnsServer server) {
            assertThat(server).isSameAs(apns.server());
            firstPort = server.port();
            server.faults().delay(Duration.ofSeconds(1));
            server.markExpired("ab".repeat(32));
        }

        @Test
        @Order(2)
        void keepsTheServerAndResetsIt() {
            assertThat(apns.server().port()).isEqualTo(firstPort);
            assertThat(apns.server().requests()).isEmpty();
            assertThat(apns.server().toString()).contains(String.valueOf(firstPort));
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerMethod {
        @RegisterExtension
        MockApnsServerExtension apns = new MockApnsServerExtension();

        static MockApnsServer previous;

        @Test
        @Order(1)
        void startsForTheTest() {
            previous = apns.server();
            assertThat(previous.port()).isPositive();
        }

        @Test
        @Order(2)
        void startsAnotherForTheNextTest() {
            assertThat(apns.server()).isNotSameAs(previous);
            // the previous test's server was closed: its port no longer answers
            assertThat(canConnect(previous.uri().getPort())).isFalse();
        }
    }

    static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
