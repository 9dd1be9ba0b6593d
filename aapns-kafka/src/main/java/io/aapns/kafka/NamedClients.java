package io.aapns.kafka;

import io.aapns.api.ApnsClient;
import io.aapns.spring.boot.autoconfigure.ApnsClients;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.BeanFactory;

/**
 * Finds the client a request names in its {@code client} field: the bean named {@code <name>ApnsClient} of type
 * {@link ApnsClient} (the convention by which {@code aapns.clients.<name>.*} defines them). Each client comes with the
 * validator of its own default topic. Thread-safe; found clients are kept.
 */
final class NamedClients {

    /** A client and the checks of requests sent through it. */
    record Route(ApnsClient client, PushRequestValidator validator) {
        static Route of(ApnsClient client) {
            return new Route(client, new PushRequestValidator(client.topic().orElse(null), true));
        }
    }

    private final Route defaultRoute;
    private final BeanFactory beans;
    private final Map<String, Route> found = new ConcurrentHashMap<>();

    /**
     * Routes to {@code defaultClient} (null when the application has several clients and none is primary: a request
     * must then name its client), and to the beans of {@code beans} by name (null: no named clients).
     */
    NamedClients(ApnsClient defaultClient, BeanFactory beans) {
        this.defaultRoute = defaultClient == null ? null : Route.of(defaultClient);
        this.beans = beans;
    }

    /**
     * Returns the route of {@code request}: its named client's, or the default client's when it names none.
     *
     * @throws InvalidPushRequestException if there is no bean of that name and type
     */
    Route routeOf(PushRequest request) {
        if (request.client().isEmpty()) {
            if (defaultRoute == null) {
                throw new InvalidPushRequestException("the request names no client, and this worker's application has"
                        + " several ApnsClient beans, none of them primary: set the record's \"client\" field, or"
                        + " mark one client primary (aapns.clients.<name>.primary=true)");
            }
            return defaultRoute;
        }
        String name = request.client().get();
        Route route = found.get(name);
        if (route != null) {
            return route;
        }
        String bean = ApnsClients.beanName(name);
        if (beans == null || !beans.containsBean(bean) || !beans.isTypeMatch(bean, ApnsClient.class)) {
            throw new InvalidPushRequestException("field \"client\" asks for the named client '" + name
                    + "', but this worker's application has no bean named '" + bean + "' of type ApnsClient"
                    + " (define it, e.g. with aapns.clients." + name + ".*)");
        }
        return found.computeIfAbsent(name, n -> Route.of(beans.getBean(bean, ApnsClient.class)));
    }
}
