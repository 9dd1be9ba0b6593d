package io.aapns.connection;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks which of a host's addresses a new connection goes to: the next one at each lookup of that host, so that a
 * pool's connections land on different servers. Only addresses of the family the JDK put first (IPv4 unless
 * {@code java.net.preferIPv6Addresses} says otherwise) take turns: a machine without IPv6 routes must not be sent to
 * the AAAA half of the answer. Each host's turn starts at a random place, so that JVMs started together do not all
 * begin with the same address.
 */
final class AddressRotation {
    /** Hosts whose turn is remembered; past this many, all are forgotten and start afresh. */
    static final int MAX_HOSTS = 256;

    private static final ConcurrentHashMap<String, AtomicInteger> TURNS = new ConcurrentHashMap<>();

    private AddressRotation() {}

    /**
     * The addresses of {@code host} that take turns, the one whose turn it is first.
     *
     * @param addresses what the lookup returned, in its order; at least one
     */
    static List<InetAddress> nextTurn(String host, InetAddress[] addresses) {
        List<InetAddress> family = new ArrayList<>(addresses.length);
        Class<?> preferred = addresses[0].getClass();
        for (InetAddress a : addresses) {
            if (a.getClass() == preferred) {
                family.add(a);
            }
        }
        int start = Math.floorMod(turn(host).getAndIncrement(), family.size());
        List<InetAddress> rotated = new ArrayList<>(family.size());
        for (int i = 0; i < family.size(); i++) {
            rotated.add(family.get((start + i) % family.size()));
        }
        return rotated;
    }

    private static AtomicInteger turn(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        AtomicInteger turn = TURNS.get(key);
        if (turn != null) {
            return turn;
        }
        if (TURNS.size() >= MAX_HOSTS) {
            TURNS.clear();
        }
        return TURNS.computeIfAbsent(
                key, k -> new AtomicInteger(ThreadLocalRandom.current().nextInt()));
    }
}
