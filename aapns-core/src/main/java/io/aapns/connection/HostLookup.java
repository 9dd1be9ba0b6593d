package io.aapns.connection;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into its addresses. A blocking call: it runs on the resolver's own threads, never on an event loop.
 * The default is the JDK's lookup, which honours {@code /etc/hosts}, {@code -Djdk.net.hosts.file}, the OS resolver
 * configuration and the JDK's address cache; tests inject their own.
 */
@FunctionalInterface
interface HostLookup {

    /** The JDK's lookup, {@link InetAddress#getAllByName(String)}. */
    HostLookup JDK = InetAddress::getAllByName;

    /**
     * The addresses of {@code host}, at least one.
     *
     * @throws UnknownHostException if the host has no address
     */
    InetAddress[] lookup(String host) throws UnknownHostException;
}
