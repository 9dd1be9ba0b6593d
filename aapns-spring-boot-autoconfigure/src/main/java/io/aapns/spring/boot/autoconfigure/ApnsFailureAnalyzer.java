package io.aapns.spring.boot.autoconfigure;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a start-up failure caused by the {@code aapns.*} properties: an {@link ApnsConfigurationException} from the
 * auto-configuration, or a value of {@code environment} or {@code proxy.type} that is not one of its values, under
 * {@code aapns.*} or a named client's {@code aapns.clients.<name>.*}. Ordered first, so that Boot's generic binding
 * analyzer does not answer for {@code aapns.environment}.
 */
class ApnsFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String ENVIRONMENT = "environment";
    private static final String PROXY_TYPE = "proxy.type";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApnsConfigurationException e) {
                return new FailureAnalysis(e.description(), e.action(), e);
            }
            if (t instanceof BindException e && clientProperty(e, PROXY_TYPE) != null) {
                String property = clientProperty(e, PROXY_TYPE);
                return new FailureAnalysis(
                        property + " is '" + e.getProperty().getValue() + "' (from "
                                + e.getProperty().getOrigin() + "), which is not a proxy type.",
                        "Set " + property + " to http (a proxy that opens tunnels with CONNECT) or socks5, or remove"
                                + " it to use http.",
                        e);
            }
            if (t instanceof BindException e && clientProperty(e, ENVIRONMENT) != null) {
                String property = clientProperty(e, ENVIRONMENT);
                String valid = Arrays.stream(ApnsProperties.Environment.values())
                        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(Collectors.joining(" or "));
                return new FailureAnalysis(
                        property + " is '" + e.getProperty().getValue() + "' (from "
                                + e.getProperty().getOrigin() + "), which is not an APNs environment.",
                        "Set " + property + " to " + valid + " (production for App Store, TestFlight and ad hoc"
                                + " builds, development for apps built with a development profile), or remove it"
                                + " to use production. To send to another server, such as a mock, set aapns.url.",
                        e);
            }
        }
        return null;
    }

    /**
     * The full name of the property that failed to bind, when it is {@code relative} of the top-level properties
     * ({@code aapns.<relative>}) or of a named client ({@code aapns.clients.<name>.<relative>}); else {@code null}.
     */
    static String clientProperty(BindException e, String relative) {
        if (e.getProperty() == null) {
            return null;
        }
        ConfigurationPropertyName name = e.getProperty().getName();
        ConfigurationPropertyName wanted = ConfigurationPropertyName.of(relative);
        if (name.equals(ConfigurationPropertyName.of("aapns").append(wanted))) {
            return name.toString();
        }
        ConfigurationPropertyName clients = ConfigurationPropertyName.of(NamedClientProperties.PREFIX);
        if (clients.isAncestorOf(name)
                && name.getNumberOfElements() > 3
                && name.subName(3).equals(wanted)) {
            return name.toString();
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
