/**
 * aapns for Java: an Apple Push Notification service client on raw Netty HTTP/2.
 *
 * <p>The engine has three levels, each usable on its own: {@code io.aapns.connection} (one HTTP/2 connection),
 * {@code io.aapns.pool} (self-healing connections with deadline-bounded retries) and {@code io.aapns.api} (the
 * high-level {@code ApnsClient}).
 */
package io.aapns;
