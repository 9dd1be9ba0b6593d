package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * The name a client goes by in health entries and in the {@code client} tag of metrics, from its bean name: a named
 * client's {@code <name>ApnsClient} is {@code <name>}, the client of the top-level {@code aapns.*} properties
 * ({@code apnsClient}) is {@code default}, and any other bean keeps its bean name.
 */
final class ClientNames {

    /** The name of the client made from the top-level {@code aapns.*} properties. */
    static final String DEFAULT = "default";

    static final String DEFAULT_BEAN = "apnsClient";
    private static final String SUFFIX = "ApnsClient";

    private ClientNames() {}

    /** The client name of the bean {@code beanName}. */
    static String ofBean(String beanName) {
        if (DEFAULT_BEAN.equals(beanName)) {
            return DEFAULT;
        }
        if (beanName.endsWith(SUFFIX) && beanName.length() > SUFFIX.length()) {
            return beanName.substring(0, beanName.length() - SUFFIX.length());
        }
        return beanName;
    }

    /** The bean name of the named client {@code name}: {@code <name>ApnsClient}. */
    static String beanOf(String name) {
        return name + SUFFIX;
    }

    /**
     * The bean name of the one {@code ApnsClient} that a bean needing a single client gets: the only one, else the
     * primary one, else none.
     */
    static Optional<String> singleCandidate(ConfigurableListableBeanFactory beanFactory) {
        List<String> beans = Arrays.asList(beanFactory.getBeanNamesForType(ApnsClient.class, true, false));
        if (beans.size() == 1) {
            return Optional.of(beans.get(0));
        }
        List<String> primary = beans.stream()
                .filter(b -> beanFactory.containsBeanDefinition(b)
                        && beanFactory.getBeanDefinition(b).isPrimary())
                .toList();
        return primary.size() == 1 ? Optional.of(primary.get(0)) : Optional.empty();
    }
}
