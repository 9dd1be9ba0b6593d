package io.aapns.mock.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The leak check itself: a buffer dropped without release() must fail the test that owns it. */
class LeakDetectionExtensionTest {

    @Test
    void runsAtParanoidLevel() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void failsWhenABufferIsLeaked() {
        LeakDetectionExtension extension = new LeakDetectionExtension();
        leakOneBuffer();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThatThrownBy(() -> extension.afterAll(context()))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("LEAK: ByteBuf.release() was not called"));
    }

    private static void leakOneBuffer() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        leaked.writeInt(42);
        // dropped without release(): the garbage collector finds it, Netty reports it
    }

    private static ExtensionContext context() {
        return (ExtensionContext) Proxy.newProxyInstance(
                ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getDisplayName")) {
                        return "leak check";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
