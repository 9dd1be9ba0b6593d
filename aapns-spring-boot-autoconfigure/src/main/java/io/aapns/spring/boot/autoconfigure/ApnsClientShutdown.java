package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Closes the auto-configured client gracefully when the context closes: no new notifications, those in flight get up to
 * {@code aapns.shutdown-timeout} to be answered, then the connections close. It depends on the client, so it runs
 * before the client bean is destroyed, and after the beans that use the client (a web server stops taking requests
 * first).
 */
public final class ApnsClientShutdown implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ApnsClientShutdown.class);

    private final ApnsClient client;
    private final Duration timeout;

    public ApnsClientShutdown(ApnsClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public void destroy() {
        try {
            // The pool closes itself when the timeout passes; the extra second is for its connections to go.
            client.closeGracefully(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the APNs client did not close within {}; closing it now", timeout);
            client.close();
        } catch (ExecutionException e) {
            log.warn("closing the APNs client failed", e.getCause());
            client.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        }
    }
}
