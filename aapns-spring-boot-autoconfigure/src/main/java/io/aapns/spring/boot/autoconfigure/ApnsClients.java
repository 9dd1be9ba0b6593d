package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.springframework.core.env.Environment;

/**
 * The named clients of {@code aapns.clients.<name>.*}, by name: for code that picks the client at run time (the app a
 * notification is for). Each client is also a bean of its own, {@code <name>ApnsClient}, for code that knows it when
 * written. A bean the application defines under such a name stands in for the client of that name.
 */
public final class ApnsClients {

    private final Map<String, ApnsClient> clients;

    /**
     * Creates the view.
     *
     * @param clients the clients by name, in the order {@link #names()} gives them
     */
    public ApnsClients(Map<String, ApnsClient> clients) {
        this.clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
    }

    /**
     * Returns the client {@code name}.
     *
     * @throws NoSuchElementException if there is no client of that name; the message lists the names there are
     */
    public ApnsClient get(String name) {
        ApnsClient client = clients.get(Objects.requireNonNull(name, "name"));
        if (client == null) {
            throw new NoSuchElementException("No APNs client named '" + name + "'; the named clients are "
                    + clients.keySet() + " (aapns.clients.<name>.*)");
        }
        return client;
    }

    /** Returns whether there is a client {@code name}. */
    public boolean contains(String name) {
        return clients.containsKey(name);
    }

    /** Returns the names, in the order they are configured. */
    public Set<String> names() {
        return clients.keySet();
    }

    /**
     * Returns the names of the named clients that {@code environment} configures ({@code aapns.clients.<name>.*}), in
     * the order they are first met in its property sources, each name once however it is spelled: the names the
     * auto-configuration makes clients for (those with {@code enabled: false} included). For code that runs before the
     * clients exist, such as test support that points every client at a mock server.
     */
    public static List<String> configuredNames(Environment environment) {
        return new NamedClientProperties(Objects.requireNonNull(environment, "environment")).names();
    }

    /** Returns the bean name of the named client {@code name}: {@code <name>ApnsClient}. */
    public static String beanName(String name) {
        return ClientNames.beanOf(Objects.requireNonNull(name, "name"));
    }

    @Override
    public String toString() {
        return "ApnsClients" + clients.keySet();
    }
}
