package io.aapns.spring.boot.autoconfigure;

/**
 * No connection to APNs opened within {@code aapns.initialization-fail-timeout}: thrown while the
 * {@link io.aapns.api.ApnsClient} bean is created, after the client has been closed, so that start-up fails.
 * {@link ApnsFailureAnalyzer} reports it like any {@link ApnsConfigurationException}: what happened and what to change.
 */
public class ApnsInitializationException extends ApnsConfigurationException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param description what happened: the server, the timeout and the last connect error
     * @param action what to check or change
     * @param cause the last connect failure, or {@code null}
     */
    public ApnsInitializationException(String description, String action, Throwable cause) {
        super(description, action, cause);
    }
}
