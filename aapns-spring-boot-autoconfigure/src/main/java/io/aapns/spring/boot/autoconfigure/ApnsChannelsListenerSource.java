package io.aapns.spring.boot.autoconfigure;

import io.aapns.spi.ApnsListener;

/**
 * A bean that hands a listener to the auto-configured {@code ApnsChannels} only (not to the {@code ApnsClient}, which
 * takes every {@link ApnsListener} bean): how channel metrics reach the channel pool without counting pushes.
 */
@FunctionalInterface
interface ApnsChannelsListenerSource {

    /** The listener for the channel management pool's events. */
    ApnsListener channelsListener();
}
