package io.aapns.spring.boot.autoconfigure;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Explains a start-up failure caused by the {@code aapns.*} properties: an {@link ApnsConfigurationException} from the
 * auto-configuration, or a value of {@code aapns.environment} or {@code aapns.proxy.type} that is not one of its
 * values. Ordered first, so that Boot's generic binding analyzer does not answer for {@code aapns.environment}.
 */
class ApnsFailureAnalyzer implements FailureAnalyzer, Ordered {

    private static final String ENVIRONMENT = "aapns.environment";
    private static final String PROXY_TYPE = "aapns.proxy.type";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApnsConfigurationException e) {
                return new FailureAnalysis(e.description(), e.action(), e);
            }
            if (t instanceof BindException e
                    && e.getProperty() != null
                    && PROXY_TYPE.equals(e.getProperty().getName().toString())) {
                return new FailureAnalysis(
                        "aapns.proxy.type is '" + e.getProperty().getValue() + "' (from "
                                + e.getProperty().getOrigin() + "), which is not a proxy type.",
                        "Set aapns.proxy.type to http (a proxy that opens tunnels with CONNECT) or socks5, or remove"
                                + " it to use http.",
                        e);
            }
            if (t instanceof BindException e
                    && e.getProperty() != null
                    && ENVIRONMENT.equals(e.getProperty().getName().toString())) {
                String valid = Arrays.stream(ApnsProperties.Environment.values())
                        .map(v -> v.name().toLowerCase(java.util.Locale.ROOT))
                        .collect(Collectors.joining(" or "));
                return new FailureAnalysis(
                        "aapns.environment is '" + e.getProperty().getValue() + "' (from "
                                + e.getProperty().getOrigin() + "), which is not an APNs environment.",
                        "Set aapns.environment to " + valid + " (production for App Store, TestFlight and ad hoc"
                                + " builds, development for apps built with a development profile), or remove it"
                                + " to use production. To send to another server, such as a mock, set aapns.url.",
                        e);
            }
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
