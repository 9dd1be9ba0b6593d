package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import io.aapns.connection.ProxyOptions;

/** {@code aapns.proxy.*} onto the client builder, with a report naming the property when one is wrong. */
final class ProxySettings {

    private ProxySettings() {}

    /** aapns.proxy.*: a proxy for every connection, or the JVM's proxy properties when asked for. */
    static void apply(ApnsClient.Builder builder, ApnsProperties.Proxy proxy) {
        builder.useSystemProxy(proxy.useSystemProperties());
        if (!proxy.configured()) {
            return;
        }
        if (!ApnsProperties.hasText(proxy.host())) {
            throw new ApnsConfigurationException(
                    "aapns.proxy.* is set but aapns.proxy.host is not: the proxy has no address.",
                    "Set aapns.proxy.host to the proxy's host name or address and aapns.proxy.port to its port, or"
                            + " remove aapns.proxy.* to connect to APNs directly.",
                    null);
        }
        if (proxy.port() == null) {
            throw new ApnsConfigurationException(
                    "aapns.proxy.host is set but aapns.proxy.port is not.",
                    "Set aapns.proxy.port to the proxy's port, such as 3128 or 8080 for an HTTP proxy or 1080 for"
                            + " SOCKS5.",
                    null);
        }
        if (proxy.password() != null && !ApnsProperties.hasText(proxy.username())) {
            throw new ApnsConfigurationException(
                    "aapns.proxy.password is set but aapns.proxy.username is not.",
                    "Set aapns.proxy.username to the user the password belongs to, or remove aapns.proxy.password if"
                            + " the proxy needs no authentication.",
                    null);
        }
        ProxyOptions.Type type =
                proxy.type() == ApnsProperties.Proxy.Type.SOCKS5 ? ProxyOptions.Type.SOCKS5 : ProxyOptions.Type.HTTP;
        ProxyOptions.Builder options = ApnsClientFactory.checked(
                "aapns.proxy.port",
                () -> ProxyOptions.builder(type, proxy.host(), proxy.port()),
                "Set aapns.proxy.port to the proxy's port, between 1 and 65535.");
        if (ApnsProperties.hasText(proxy.username())) {
            ApnsClientFactory.check(
                    "aapns.proxy.username",
                    () -> options.credentials(proxy.username(), proxy.password() == null ? "" : proxy.password()),
                    "Set aapns.proxy.username and aapns.proxy.password to the credentials the proxy expects (an"
                            + " HTTP user name cannot contain ':'; SOCKS5 allows at most 255 bytes each).");
        }
        builder.proxy(options.build());
    }
}
