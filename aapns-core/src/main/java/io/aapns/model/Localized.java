package io.aapns.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A text that the device looks up in the app's {@code Localizable.strings} by key, with arguments for its format
 * specifiers. In the payload it becomes {@code loc-key} and {@code loc-args} (or {@code title-loc-key},
 * {@code subtitle-loc-key} and their args).
 */
public final class Localized {

    private final String key;
    private final List<String> args;

    private Localized(String key, List<String> args) {
        this.key = key;
        this.args = args;
    }

    /**
     * Returns a localized text.
     *
     * @param key the key in the app's {@code Localizable.strings}
     * @param args the values for the key's format specifiers, in order; none is fine
     * @throws IllegalArgumentException if the key is null or empty, or an argument is null
     */
    public static Localized of(String key, String... args) {
        return of(key, args == null ? List.of() : java.util.Arrays.asList(args));
    }

    /** Returns a localized text with its arguments as a list; see {@link #of(String, String...)}. */
    public static Localized of(String key, List<String> args) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a Localized text needs a non-empty key");
        }
        List<String> copy = new ArrayList<>(args == null ? List.of() : args);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i) == null) {
                throw new IllegalArgumentException(
                        "argument " + i + " of Localized key '" + key + "' is null: pass an empty string");
            }
        }
        return new Localized(key, Collections.unmodifiableList(copy));
    }

    /** Returns the key in the app's {@code Localizable.strings}. */
    public String key() {
        return key;
    }

    /** Returns the arguments, possibly empty; never null. */
    public List<String> args() {
        return args;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Localized other && key.equals(other.key) && args.equals(other.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, args);
    }

    @Override
    public String toString() {
        return "Localized{key=" + key + ", args=" + args + "}";
    }
}
