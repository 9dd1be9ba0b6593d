package io.aapns.spring.boot.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * The same failure for the named client {@code name}: every top-level property it names, {@code aapns.<property>},
     * becomes the client's own {@code aapns.clients.<name>.<property>}, and the description says which client it is.
     *
     * @param name the client's name in {@code aapns.clients.<name>}
     * @return a new exception with this one's cause
     */
    public ApnsConfigurationException forClient(String name) {
        return new ApnsConfigurationException(
                "APNs client '" + name + "': " + renameProperties(description, name),
                renameProperties(action, name),
                getCause());
    }

    /** {@code text} with {@code aapns.<property>} written as {@code aapns.clients.<name>.<property>}. */
    static String renameProperties(String text, String name) {
        return TOP_LEVEL_PROPERTY.matcher(text).replaceAll(Matcher.quoteReplacement("aapns.clients." + name + "."));
    }

    /** A top-level property's prefix: "aapns." not inside a longer name (io.aapns.x) and not already a client's. */
    private static final Pattern TOP_LEVEL_PROPERTY = Pattern.compile("(?<![\\w.])aapns\\.(?!clients\\.)");
}
