package io.aapns.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns user-supplied values (custom keys, content-state, attributes) into an immutable tree of plain values, once,
 * when a model is built; and writes such a tree with a streaming generator.
 *
 * <p>The tree holds only {@code null}, {@link String}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Double},
 * {@link BigInteger}, {@link BigDecimal}, unmodifiable {@code Map<String, Object>} (iteration order kept) and
 * unmodifiable {@code List<Object>}. Any other object (a record, a bean, a Jackson {@code JsonNode}) is converted with
 * Jackson's default {@link JsonMapper}, so its fields are snapshotted at build time.
 */
final class JsonValues {

    private JsonValues() {}

    /**
     * Returns an immutable plain copy of the value.
     *
     * @param path where the value sits, for messages, such as {@code "custom key 'data'"}
     * @throws IllegalArgumentException if the value cannot be turned into JSON
     */
    static Object copy(String path, Object value) {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + " is " + d + ": JSON has no NaN or infinity");
            }
            return d;
        }
        if (value instanceof Character) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(path + " has the key " + e.getKey()
                            + (e.getKey() == null
                                    ? ""
                                    : " of type " + e.getKey().getClass().getName())
                            + ": JSON object keys must be strings");
                }
                copy.put(key, copy(path + "." + key, e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        // Collections only: a JsonNode or a Path is Iterable too, but not a JSON array.
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            int i = 0;
            for (Object element : collection) {
                copy.add(copy(path + "[" + i++ + "]", element));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Object[] array) {
            return copy(path, java.util.Arrays.asList(array));
        }
        Object converted;
        try {
            converted = JsonMapper.shared().convertValue(value, Object.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    path + " of type " + value.getClass().getName() + " cannot be converted to JSON: " + e.getMessage(),
                    e);
        }
        if (converted != null && converted.getClass() == value.getClass()) {
            throw new IllegalArgumentException(
                    path + " of type " + value.getClass().getName() + " cannot be converted to JSON");
        }
        return copy(path, converted);
    }

    /**
     * Returns an immutable plain copy of a value that must be a JSON object.
     *
     * @throws IllegalArgumentException if it is not, or cannot be converted
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copyObject(String path, Object value) {
        Object copy = copy(path, value);
        if (!(copy instanceof Map)) {
            throw new IllegalArgumentException(path + " must be a JSON object (a Map, a record or a" + " bean), not "
                    + (value == null ? "null" : value.getClass().getName()));
        }
        return (Map<String, Object>) copy;
    }

    /** Writes a value of a tree made by {@link #copy(String, Object)}. */
    static void write(JsonGenerator g, Object value) {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object element : list) {
                write(g, element);
            }
            g.writeEndArray();
        } else {
            throw new IllegalStateException(
                    "not a plain JSON value: " + value.getClass().getName());
        }
    }
}
