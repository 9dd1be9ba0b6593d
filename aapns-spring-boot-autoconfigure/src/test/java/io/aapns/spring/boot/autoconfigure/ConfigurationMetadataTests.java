package io.aapns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata an IDE shows for {@code aapns.*}, read from the file the build generates: every property
 * has a description in Boot's voice, and a property with a default in {@link ApnsProperties} shows that default.
 */
class ConfigurationMetadataTests {

    private static JsonNode metadata;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = ApnsProperties.class
                .getClassLoader()
                .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the generated metadata").isNotNull();
            metadata = JsonMapper.shared().readTree(in);
        }
    }

    private static List<JsonNode> aapnsProperties() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : metadata.get("properties")) {
            if (p.get("name").asString().startsWith("aapns.")) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void everyPropertyHasADescriptionInBootsVoice() {
        List<JsonNode> properties = aapnsProperties();
        assertThat(properties).hasSizeGreaterThan(20);
        for (JsonNode p : properties) {
            String name = p.get("name").asString();
            JsonNode d = p.get("description");
            assertThat(d).as("description of %s", name).isNotNull();
            String text = d.asString();
            assertThat(Character.isUpperCase(text.charAt(0)))
                    .as("%s starts with a capital: %s", name, text)
                    .isTrue();
            assertThat(text).as("%s ends with a period", name).endsWith(".");
            if (p.get("type").asString().equals("java.lang.Boolean")) {
                assertThat(text).as("%s reads 'Whether to ...'", name).startsWith("Whether ");
            }
        }
    }

    @Test
    void everyDefaultOfThePropertiesRecordIsInTheMetadata() {
        ApnsProperties defaults = Binder.get(new org.springframework.mock.env.MockEnvironment())
                .bindOrCreate("aapns", ApnsProperties.class);
        int checked = 0;
        for (JsonNode p : aapnsProperties()) {
            String name = p.get("name").asString();
            JsonNode source = p.get("sourceType");
            if (source == null || !source.asString().startsWith(ApnsProperties.class.getName())) {
                continue; // declared by hand in additional-spring-configuration-metadata.json
            }
            Object value = valueAt(defaults, name.substring("aapns.".length()));
            if (value == null) {
                assertThat(p.get("defaultValue")).as("%s has no default", name).isNull();
                continue;
            }
            JsonNode shown = p.get("defaultValue");
            assertThat(shown).as("default of %s (%s)", name, value).isNotNull();
            Object converted =
                    ApplicationConversionService.getSharedInstance().convert(shown.asString(), value.getClass());
            assertThat(converted).as("default of %s", name).isEqualTo(value);
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void theHealthSwitchAndTheEnvironmentsValuesAreDescribed() {
        JsonNode health = null;
        for (JsonNode p : metadata.get("properties")) {
            if (p.get("name").asString().equals("management.health.aapns.enabled")) {
                health = p;
            }
        }
        assertThat(health).isNotNull();
        assertThat(health.get("defaultValue").asBoolean()).isTrue();
        List<String> environments = new ArrayList<>();
        for (JsonNode h : metadata.get("hints")) {
            if (h.get("name").asString().equals("aapns.environment")) {
                h.get("values").forEach(v -> environments.add(v.get("value").asString()));
            }
        }
        assertThat(environments).containsExactly("production", "development");
        // the binder takes both as written in the hint
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("aapns.environment", "development")));
        assertThat(binder.bindOrCreate("aapns", ApnsProperties.class).environment())
                .isEqualTo(ApnsProperties.Environment.DEVELOPMENT);
    }

    /** The value of {@code path} (kebab-case, dotted) in the record tree under {@code root}. */
    private static Object valueAt(Object root, String path) {
        Object current = root;
        for (String part : path.split("\\.")) {
            if (current == null) {
                return null;
            }
            String component = camel(part);
            RecordComponent found = null;
            for (RecordComponent c : current.getClass().getRecordComponents()) {
                if (c.getName().equals(component)) {
                    found = c;
                }
            }
            assertThat(found)
                    .as("record component %s of %s", component, current.getClass())
                    .isNotNull();
            try {
                current = found.getAccessor().invoke(current);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return current;
    }

    private static String camel(String kebab) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
