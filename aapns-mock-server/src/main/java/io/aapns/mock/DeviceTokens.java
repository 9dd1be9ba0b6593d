package io.aapns.mock;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the mock server knows of particular device tokens: unregistered, expired, bound to a topic. */
final class DeviceTokens {

    record State(Instant unregisteredSince, boolean expired, String topic) {}

    private final Map<String, State> states = new ConcurrentHashMap<>();

    static String normalize(String token) {
        return token.toLowerCase(Locale.ROOT);
    }

    void markUnregistered(String token, Instant since) {
        states.merge(
                normalize(token), new State(since, false, null), (old, mark) -> new State(since, false, old.topic()));
    }

    void markExpired(String token) {
        states.merge(normalize(token), new State(null, true, null), (old, mark) -> new State(null, true, old.topic()));
    }

    void bind(String token, String topic) {
        states.merge(
                normalize(token),
                new State(null, false, topic),
                (old, mark) -> new State(old.unregisteredSince(), old.expired(), topic));
    }

    void forget(String token) {
        states.remove(normalize(token));
    }

    State get(String token) {
        return states.isEmpty() ? null : states.get(normalize(token));
    }

    void clear() {
        states.clear();
    }
}
