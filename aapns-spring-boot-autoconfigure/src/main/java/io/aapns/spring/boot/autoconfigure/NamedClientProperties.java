package io.aapns.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * The named clients of {@code aapns.clients.<name>.*}: their names, and each one's {@link ApnsProperties}, where a
 * property not set for the client is taken from {@code aapns.*} and, failing that, from the default. A property is
 * bound under its own name ({@code aapns.clients.watch.pool.size}), so a bad value is reported with that name and the
 * origin it came from, whether it was written for the client or inherited from the top level.
 */
final class NamedClientProperties {

    static final String PREFIX = "aapns.clients";
    private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of(PREFIX);
    private static final ConfigurationPropertyName TOP = ConfigurationPropertyName.of("aapns");

    private final Environment environment;

    NamedClientProperties(Environment environment) {
        this.environment = environment;
    }

    /**
     * The client names, in the order they are first met in the property sources (highest precedence first). Two
     * spellings of one name (aapns.clients.watchApp and AAPNS_CLIENTS_WATCHAPP) are one client, under the first
     * spelling.
     */
    List<String> names() {
        Map<String, String> byUniformName = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(name -> CLIENTS.isAncestorOf(name) && name.getNumberOfElements() > 3)
                        .forEach(name -> byUniformName.putIfAbsent(
                                name.getElement(2, ConfigurationPropertyName.Form.UNIFORM),
                                name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL)));
            }
        }
        return List.copyOf(byUniformName.values());
    }

    /** The properties of the client {@code name}: its own, else the top level's, else the defaults. */
    ApnsProperties properties(String name) {
        return binder(name).bindOrCreate(prefixName(name), Bindable.of(ApnsProperties.class), null);
    }

    /** Whether {@code aapns.clients.<name>.primary} is true. */
    boolean primary(String name) {
        return Binder.get(environment)
                .bind(prefixName(name).append("primary"), Bindable.of(Boolean.class))
                .orElse(false);
    }

    /** The prefix of a named client's properties, {@code aapns.clients.<name>}. */
    static String prefix(String name) {
        return PREFIX + "." + name;
    }

    private static ConfigurationPropertyName prefixName(String name) {
        return ConfigurationPropertyName.adapt(prefix(name), '.');
    }

    private Binder binder(String name) {
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.get(environment).forEach(sources::add);
        return new Binder(
                List.of(new FallbackSource(sources, prefixName(name))),
                new PropertySourcesPlaceholdersResolver(environment));
    }

    /**
     * Answers for {@code aapns.clients.<name>.x} with the value of that name in any source, else with the value of
     * {@code aapns.x}; answers nothing for other names.
     */
    private record FallbackSource(List<ConfigurationPropertySource> sources, ConfigurationPropertyName prefix)
            implements ConfigurationPropertySource {

        @Override
        public ConfigurationProperty getConfigurationProperty(ConfigurationPropertyName name) {
            if (!covers(name)) {
                return null;
            }
            ConfigurationProperty own = find(name);
            if (own != null) {
                return own;
            }
            ConfigurationProperty inherited = find(topLevel(name));
            return inherited == null
                    ? null
                    : new ConfigurationProperty(name, inherited.getValue(), inherited.getOrigin());
        }

        @Override
        public ConfigurationPropertyState containsDescendantOf(ConfigurationPropertyName name) {
            if (!covers(name)) {
                return ConfigurationPropertyState.ABSENT;
            }
            ConfigurationPropertyState own = state(name);
            ConfigurationPropertyState inherited = state(topLevel(name));
            if (own == ConfigurationPropertyState.PRESENT || inherited == ConfigurationPropertyState.PRESENT) {
                return ConfigurationPropertyState.PRESENT;
            }
            if (own == ConfigurationPropertyState.UNKNOWN || inherited == ConfigurationPropertyState.UNKNOWN) {
                return ConfigurationPropertyState.UNKNOWN;
            }
            return ConfigurationPropertyState.ABSENT;
        }

        private boolean covers(ConfigurationPropertyName name) {
            return prefix.equals(name) || prefix.isAncestorOf(name);
        }

        private ConfigurationPropertyName topLevel(ConfigurationPropertyName name) {
            return TOP.append(name.subName(prefix.getNumberOfElements()));
        }

        private ConfigurationProperty find(ConfigurationPropertyName name) {
            for (ConfigurationPropertySource source : sources) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null) {
                    return property;
                }
            }
            return null;
        }

        private ConfigurationPropertyState state(ConfigurationPropertyName name) {
            ConfigurationPropertyState result = ConfigurationPropertyState.ABSENT;
            for (ConfigurationPropertySource source : sources) {
                ConfigurationPropertyState state = source.containsDescendantOf(name);
                if (state == ConfigurationPropertyState.PRESENT) {
                    return state;
                }
                if (state == ConfigurationPropertyState.UNKNOWN) {
                    result = state;
                }
            }
            return result;
        }
    }
}
