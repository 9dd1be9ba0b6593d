package io.aapns.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.connection.ProxyOptions.Type;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ProxyOptions}: validation, the JVM's proxy properties, and what is never shown. */
class ProxyOptionsTest {

    static Optional<ProxyOptions> from(Map<String, String> properties, String target) {
        return ProxyOptions.fromProperties(properties::get, target);
    }

    @Test
    void buildsWithAndWithoutCredentials() {
        ProxyOptions plain = ProxyOptions.http("proxy.example.com", 3128);
        assertThat(plain.type()).isEqualTo(Type.HTTP);
        assertThat(plain.host()).isEqualTo("proxy.example.com");
        assertThat(plain.port()).isEqualTo(3128);
        assertThat(plain.hasCredentials()).isFalse();
        assertThat(plain.username()).isEmpty();

        ProxyOptions auth = ProxyOptions.builder(Type.SOCKS5, "[::1]", 1080)
                .credentials("push", "s3cret")
                .build();
        assertThat(auth.host()).isEqualTo("::1");
        assertThat(auth.username()).contains("push");
        assertThat(auth.describe()).isEqualTo("SOCKS5 proxy [::1]:1080");
        assertThat(auth)
                .isEqualTo(ProxyOptions.builder(Type.SOCKS5, "::1", 1080)
                        .credentials("push", "s3cret")
                        .build());
    }

    @Test
    void neverShowsThePassword() {
        ProxyOptions auth = ProxyOptions.builder(Type.HTTP, "proxy", 8080)
                .credentials("push", "s3cret")
                .build();
        assertThat(auth.toString()).contains("proxy:8080", "push").doesNotContain("s3cret");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> ProxyOptions.http(" ", 8080)).hasMessageContaining("host must not be empty");
        assertThatThrownBy(() -> ProxyOptions.http("proxy", 0)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ProxyOptions.socks5("proxy", 65536)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ProxyOptions.builder(Type.HTTP, "proxy", 1).credentials("a:b", "pw"))
                .hasMessageContaining("cannot contain ':'");
        assertThatThrownBy(() -> ProxyOptions.builder(Type.HTTP, "proxy", 1).credentials("", "pw"))
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ProxyOptions.builder(Type.SOCKS5, "proxy", 1).credentials("u", "p".repeat(256)))
                .hasMessageContaining("at most 255 bytes");
    }

    @Test
    void noProxyPropertiesMeanNoProxy() {
        assertThat(from(Map.of(), "api.push.apple.com")).isEmpty();
        assertThat(from(Map.of("https.proxyHost", " "), "api.push.apple.com")).isEmpty();
    }

    @Test
    void theHttpsProxyPropertiesNameAnHttpProxy() {
        assertThat(from(Map.of("https.proxyHost", "proxy", "https.proxyPort", "3128"), "api.push.apple.com"))
                .contains(ProxyOptions.http("proxy", 3128));
        // the JDK's default port for https.proxyPort
        assertThat(from(Map.of("https.proxyHost", "proxy"), null)).contains(ProxyOptions.http("proxy", 443));
    }

    @Test
    void theSocksPropertiesNameASocks5ProxyWithTheJdksCredentials() {
        assertThat(from(Map.of("socksProxyHost", "socks"), "api.push.apple.com"))
                .contains(ProxyOptions.socks5("socks", 1080));
        assertThat(from(
                        Map.of(
                                "socksProxyHost", "socks",
                                "socksProxyPort", "1081",
                                "java.net.socks.username", "push",
                                "java.net.socks.password", "s3cret"),
                        "api.push.apple.com"))
                .contains(ProxyOptions.builder(Type.SOCKS5, "socks", 1081)
                        .credentials("push", "s3cret")
                        .build());
    }

    @Test
    void theHttpsProxyWinsOverSocksAsInTheJdk() {
        assertThat(from(Map.of("https.proxyHost", "proxy", "socksProxyHost", "socks"), "api.push.apple.com"))
                .contains(ProxyOptions.http("proxy", 443));
    }

    @Test
    void badPropertiesSayWhichOne() {
        assertThatThrownBy(() -> from(Map.of("https.proxyHost", "proxy", "https.proxyPort", "x"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https.proxyPort")
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> from(Map.of("socksProxyHost", "socks", "socksProxyVersion", "4"), null))
                .hasMessageContaining("only SOCKS5");
    }

    @Test
    void nonProxyHostsAreReachedDirectly() {
        Map<String, String> props =
                Map.of("https.proxyHost", "proxy", "http.nonProxyHosts", "*.internal|api.development.push.apple.com");
        assertThat(from(props, "apns.internal")).isEmpty();
        assertThat(from(props, "API.development.push.apple.com")).isEmpty();
        assertThat(from(props, "api.push.apple.com")).isPresent();
        // unset, the JDK's default exempts loopback
        assertThat(from(Map.of("https.proxyHost", "proxy"), "localhost")).isEmpty();
        assertThat(from(Map.of("https.proxyHost", "proxy"), "127.0.0.1")).isEmpty();
        assertThat(from(Map.of("https.proxyHost", "proxy"), "[::1]")).isEmpty();
        // set empty, nothing is exempt
        assertThat(from(Map.of("https.proxyHost", "proxy", "http.nonProxyHosts", ""), "localhost"))
                .isPresent();
        assertThat(from(Map.of("socksProxyHost", "socks", "socksNonProxyHosts", "10.*"), "10.1.2.3"))
                .isEmpty();
        assertThat(from(Map.of("socksProxyHost", "socks"), "localhost")).isEmpty();
        assertThat(from(Map.of("socksProxyHost", "socks", "socksNonProxyHosts", ""), "localhost"))
                .isPresent();
    }

    @Test
    void patternsMatchAtEitherEnd() {
        assertThat(ProxyOptions.exempt("a.example.com", "*example*")).isTrue();
        assertThat(ProxyOptions.exempt("a.example.com", "a.*")).isTrue();
        assertThat(ProxyOptions.exempt("a.example.com", "*.com")).isTrue();
        assertThat(ProxyOptions.exempt("a.example.com", "example.com")).isFalse();
        assertThat(ProxyOptions.exempt("a.example.com", "||")).isFalse();
    }
}
