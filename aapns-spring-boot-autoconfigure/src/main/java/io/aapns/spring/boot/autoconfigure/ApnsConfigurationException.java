package io.aapns.spring.boot.autoconfigure;

/**
 * The {@code aapns.*} properties cannot make an {@link io.aapns.api.ApnsClient}: no credentials, both kinds, a file
 * that does not exist, a wrong password, a key of the wrong kind. Thrown while the client bean is created;
 * {@link ApnsFailureAnalyzer} turns it into a start-up report whose description says what is wrong and whose action
 * says what to change.
 */
public class ApnsConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String description;
    private final String action;

    /**
     * Creates the exception.
     *
     * @param description what is wrong, naming the properties involved
     * @param action what to change to fix it
     * @param cause the failure underneath, or {@code null}
     */
    public ApnsConfigurationException(String description, String action, Throwable cause) {
        super(description, cause);
        this.description = description;
        this.action = action;
    }

    /** What is wrong, naming the properties involved. */
    public String description() {
        return description;
    }

    /** What to change to fix it. */
    public String action() {
        return action;
    }
}
