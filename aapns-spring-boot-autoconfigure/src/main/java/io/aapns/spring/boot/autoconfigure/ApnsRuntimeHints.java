package io.aapns.spring.boot.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What a native image needs beyond what Spring's ahead-of-time processing finds by itself: aapns-core looks the native
 * epoll transport up by name ({@code Class.forName}), to use it when it is on the class path and fall back to NIO when
 * it is not. The properties records ({@link ApnsProperties}, also bound per named client) get their binding hints from
 * Boot, as every {@code @ConfigurationProperties} type does; Netty and Jackson ship their own native-image
 * configuration. Registered in {@code META-INF/spring/aot.factories}.
 */
class ApnsRuntimeHints implements RuntimeHintsRegistrar {

    static final String EPOLL = "io.netty.channel.epoll.Epoll";

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection().registerTypeIfPresent(classLoader, EPOLL, hint -> {});
    }
}
