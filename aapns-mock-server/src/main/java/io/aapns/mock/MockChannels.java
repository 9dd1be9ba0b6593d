package io.aapns.mock;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels of one mock server (one environment): per bundle id, with Apple's limit per app. Ids are 16 random bytes
 * in base64 and never issued twice, deleted ones included. Thread-safe (one lock; channel calls are rare).
 */
final class MockChannels {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Map<String, MockChannel>> byBundle = new LinkedHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private volatile int limit;

    MockChannels(int limit) {
        this.limit = limit;
    }

    void limit(int limit) {
        this.limit = limit;
    }

    /** A new channel, or null when the app already has {@code limit} channels. */
    synchronized MockChannel create(String bundleId, int storagePolicy) {
        Map<String, MockChannel> channels = byBundle.computeIfAbsent(bundleId, b -> new LinkedHashMap<>());
        if (channels.size() >= limit) {
            return null;
        }
        String id;
        do {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            id = Base64.getEncoder().encodeToString(bytes);
        } while (!issued.add(id));
        MockChannel channel = new MockChannel(id, bundleId, storagePolicy);
        channels.put(id, channel);
        return channel;
    }

    /** Whether the app may have one channel more. */
    synchronized boolean hasRoom(String bundleId) {
        Map<String, MockChannel> channels = byBundle.get(bundleId);
        return channels == null || channels.size() < limit;
    }

    synchronized MockChannel get(String bundleId, String id) {
        Map<String, MockChannel> channels = byBundle.get(bundleId);
        return channels == null ? null : channels.get(id);
    }

    synchronized boolean delete(String bundleId, String id) {
        Map<String, MockChannel> channels = byBundle.get(bundleId);
        return channels != null && channels.remove(id) != null;
    }

    synchronized List<MockChannel> list(String bundleId) {
        Map<String, MockChannel> channels = byBundle.get(bundleId);
        return channels == null ? List.of() : List.copyOf(channels.values());
    }

    synchronized List<MockChannel> all() {
        List<MockChannel> all = new ArrayList<>();
        byBundle.values().forEach(channels -> all.addAll(channels.values()));
        return all;
    }

    /** Forgets every channel; ids already issued stay issued. */
    synchronized void clear() {
        byBundle.clear();
    }
}
