package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, while the client bean is created, for the client's first connection when
 * {@code aapns.initialization-fail-timeout} is set; on failure closes the client and throws
 * {@link ApnsInitializationException}, so that start-up fails with a report.
 */
final class ApnsClientInitialization {

    /** Beyond the start timeout, for the client's own timer to fire and report its cause first. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private ApnsClientInitialization() {}

    /**
     * Returns once {@code client} has a connection; the client was built with {@code timeout} as its start timeout and
     * closes itself when it passes.
     *
     * @throws ApnsInitializationException if no connection opened within {@code timeout}, or the client closed before
     *     (certificate rejected, no HTTP/2)
     */
    static void awaitFirstConnection(ApnsClient client, Duration timeout) {
        Throwable failure;
        try {
            client.ready().get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException | CompletionException e) {
            failure = e.getCause() != null ? e.getCause() : e;
        } catch (TimeoutException e) {
            failure = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new ApnsInitializationException(
                    "Start-up was interrupted while waiting for a connection to APNs at "
                            + client.server().origin() + " (aapns.initialization-fail-timeout is " + format(timeout)
                            + ").",
                    "Start the application again, or unset aapns.initialization-fail-timeout to start without"
                            + " waiting for APNs.",
                    e);
        }
        client.close();
        String server = client.server().origin().toString();
        throw new ApnsInitializationException(
                "No connection to APNs at " + server + " opened within "
                        + "aapns.initialization-fail-timeout (" + format(timeout) + ")."
                        + (failure != null ? " The client reported: " + failure.getMessage() : ""),
                "Check that aapns.url (or aapns.environment) names the right server, that " + server
                        + " can be reached from this host (network, firewall, proxy, DNS), and that its certificate is"
                        + " trusted (aapns.trust-certificates). Or unset aapns.initialization-fail-timeout to start"
                        + " anyway: the client keeps reconnecting and the aapns health component is DOWN until a"
                        + " connection opens.",
                failure);
    }

    /** {@code 500ms}, {@code 30s}: as the property is usually written. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
