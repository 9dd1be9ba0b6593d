package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;

/**
 * Changes the auto-configured {@link ApnsClient.Builder} after the {@code aapns.*} properties are applied and before
 * the client is built: declare beans of this type to set what has no property (a shared event loop group, a clock, a
 * retry policy with other statuses). Applied in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface ApnsClientBuilderCustomizer {

    /** Changes {@code builder}. */
    void customize(ApnsClient.Builder builder);

    /**
     * Changes the builder of the client {@code clientName}: {@code default} for the client of the top-level
     * {@code aapns.*} properties, {@code <name>} for a named client of {@code aapns.clients.<name>.*}. Override it to
     * customize clients differently; by default it calls {@link #customize(ApnsClient.Builder)} for every client.
     */
    default void customize(String clientName, ApnsClient.Builder builder) {
        customize(builder);
    }
}
