/**
 * Broadcast channel management on Apple's management host: {@link io.aapns.channels.ApnsChannels} creates, reads, lists
 * and deletes the channels that {@code ApnsClient.broadcast} sends Live Activity updates to.
 */
package io.aapns.channels;
