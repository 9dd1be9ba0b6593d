package io.aapns.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartFactoryBean;

/**
 * Makes an auto-configured client ({@code ApnsClient}, {@code ApnsChannels}) and closes it gracefully when the bean is
 * destroyed: no new requests, those in flight get up to {@code aapns.shutdown-timeout} to be answered, then the
 * connections close. The close belongs to the client's bean itself, so Spring destroys every bean that uses the client
 * first (one that sends from {@code @PreDestroy} still can), a lazily initialized client is closed when it was made,
 * and a client made before another bean failed at start-up is closed with the context. The client is made at start-up
 * like any singleton (so a misconfiguration fails start-up), unless the bean is lazy.
 */
final class GracefullyClosedBean<T> implements SmartFactoryBean<T>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GracefullyClosedBean.class);

    private final Class<T> type;
    private final Supplier<T> maker;
    private final BiFunction<T, Duration, CompletableFuture<Void>> closeGracefully;
    private final Consumer<T> closeNow;
    private final Duration shutdownTimeout;
    private T made;

    GracefullyClosedBean(
            Class<T> type,
            Supplier<T> maker,
            BiFunction<T, Duration, CompletableFuture<Void>> closeGracefully,
            Consumer<T> closeNow,
            Duration shutdownTimeout) {
        this.type = type;
        this.maker = maker;
        this.closeGracefully = closeGracefully;
        this.closeNow = closeNow;
        this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public synchronized T getObject() {
        if (made == null) {
            made = maker.get();
        }
        return made;
    }

    @Override
    public Class<?> getObjectType() {
        return type;
    }

    @Override
    public boolean isEagerInit() {
        return true;
    }

    @Override
    public void destroy() {
        T client;
        synchronized (this) {
            client = made;
        }
        if (client == null) {
            return;
        }
        try {
            // The pool closes itself when the timeout passes; the extra second is for its connections to go.
            closeGracefully
                    .apply(client, shutdownTimeout)
                    .get(shutdownTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("{} did not close within {}; closing it now", type.getSimpleName(), shutdownTimeout);
            closeNow.accept(client);
        } catch (ExecutionException e) {
            log.warn("closing {} failed", type.getSimpleName(), e.getCause());
            closeNow.accept(client);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeNow.accept(client);
        }
    }
}
