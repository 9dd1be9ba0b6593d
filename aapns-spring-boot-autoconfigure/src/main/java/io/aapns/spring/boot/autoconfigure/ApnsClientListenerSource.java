package io.aapns.spring.boot.autoconfigure;

import io.aapns.spi.ApnsListener;

/**
 * A bean that hands each auto-configured {@code ApnsClient} a listener of its own, which knows the client's name: how
 * metrics tag every meter with {@code client}. Plain {@link ApnsListener} beans are shared by every client instead.
 */
@FunctionalInterface
interface ApnsClientListenerSource {

    /** The listener for the events of the client {@code clientName} ({@link ClientNames}). */
    ApnsListener clientListener(String clientName);
}
