package io.aapns.spring.boot.autoconfigure;

import io.aapns.api.ApnsClient;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartFactoryBean;

/**
 * The bean {@code <name>ApnsClient} of a named client, {@code aapns.clients.<name>.*}: made at start-up by
 * {@link ApnsClientMaker} and closed gracefully with its bean, as the top-level client is
 * ({@link GracefullyClosedBean}). A class of its own (not a bean method) because the names come from the properties;
 * its constructor arguments are plain values and beans, so its definition can be written out ahead of time.
 */
final class NamedApnsClientBean implements SmartFactoryBean<ApnsClient>, DisposableBean {

    private final GracefullyClosedBean<ApnsClient> client;

    NamedApnsClientBean(String name, NamedClientProperties namedClients, ApnsClientMaker maker) {
        ApnsProperties properties = namedClients.properties(name);
        this.client = new GracefullyClosedBean<>(
                ApnsClient.class,
                () -> maker.makeNamed(name, properties),
                ApnsClient::closeGracefully,
                ApnsClient::close,
                properties.shutdownTimeout());
    }

    @Override
    public ApnsClient getObject() {
        return client.getObject();
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
        client.destroy();
    }
}
