package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionOptionsTest {

    @Test
    void defaults() {
        ConnectionOptions o = ConnectionOptions.defaults();
        assertThat(o.sslContext().isClient()).isTrue();
        assertThat(o.sslContext().applicationProtocolNegotiator().protocols()).containsExactly("h2");
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.pingInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.pingTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.eventLoopGroup()).isEmpty();
        assertThat(o.listener()).isSameAs(ConnectionListener.NONE);
        assertThat(o.firstStreamId()).isEqualTo(1);
    }

    @Test
    void newBuilderCopies() {
        ConnectionOptions o = ConnectionOptions.builder()
                .connectTimeout(Duration.ofSeconds(3))
                .pingInterval(Duration.ZERO)
                .build();
        ConnectionOptions copy =
                o.newBuilder().requestTimeout(Duration.ofSeconds(2)).build();
        assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(copy.pingInterval()).isZero();
        assertThat(copy.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(copy.sslContext()).isSameAs(o.sslContext());
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> ConnectionOptions.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> ConnectionOptions.builder().pingInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectionOptions.builder().firstStreamId(2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void originMustBeAnHttpsOriginOnly() {
        ConnectionOptions o = ConnectionOptions.defaults();
        for (String bad : new String[] {
            "http://localhost:443",
            "https:///nohost",
            "https://u@host",
            "https://host/3/device",
            "https://host?x=1",
            "https://host#f",
            "localhost:443"
        }) {
            assertThatThrownBy(() -> Connection.connect(URI.create(bad), o))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
