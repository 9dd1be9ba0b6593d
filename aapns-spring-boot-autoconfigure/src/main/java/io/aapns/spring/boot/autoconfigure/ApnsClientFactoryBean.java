package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartFactoryBean;

/**
 * Makes the auto-configured {@link ApnsClient} and closes it gracefully when the bean is destroyed: no new
 * notifications, those in flight get up to {@code aapns.shutdown-timeout} to be answered, then the connections close.
 * The close belongs to the client bean itself, so Spring destroys every bean that uses the client first (one that sends
 * from {@code @PreDestroy} still can), a lazily initialized client is closed when it was made, and a client made before
 * another bean failed at start-up is closed with the context.
 */
final class ApnsClientFactoryBean implements SmartFactoryBean<ApnsClient>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ApnsClientFactoryBean.class);

    private final Supplier<ApnsClient> maker;
    private final Duration shutdownTimeout;
    private ApnsClient client;

    ApnsClientFactoryBean(Supplier<ApnsClient> maker, Duration shutdownTimeout) {
        this.maker = maker;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public synchronized ApnsClient getObject() {
        if (client == null) {
            client = maker.get();
        }
        return client;
    }

    @Override
    public Class<?> getObjectType() {
        return ApnsClient.class;
    }

    @Override
    public boolean isEagerInit() {
        return true;
    }

    @Override
    public void destroy() {
        ApnsClient made;
        synchronized (this) {
            made = client;
        }
        if (made == null) {
            return;
        }
        try {
            // The pool closes itself when the timeout passes; the extra second is for its connections to go.
            made.closeGracefully(shutdownTimeout).get(shutdownTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the APNs client did not close within {}; closing it now", shutdownTimeout);
            made.close();
        } catch (ExecutionException e) {
            log.warn("closing the APNs client failed", e.getCause());
            made.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            made.close();
        }
    }
}
