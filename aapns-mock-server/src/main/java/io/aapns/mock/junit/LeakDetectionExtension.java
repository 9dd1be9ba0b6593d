package io.aapns.mock.junit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails tests when Netty reports a leaked buffer. It puts Netty's leak detector at {@code PARANOID} (every buffer
 * tracked) and records every leak report; after each test it fails if a report arrived, and after each class it forces
 * garbage collection first so that buffers dropped without {@code release()} are found.
 *
 * <p>It must be loaded before Netty creates its first buffer, which JUnit's extension auto-detection does: list this
 * class in {@code META-INF/services/org.junit.jupiter.api.extension.Extension} and set
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties} of the test
 * resources.
 */
public final class LeakDetectionExtension implements AfterEachCallback, AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20); // let the reference handler enqueue what the collection found
            allocateToTriggerReporting();
        }
        failOnLeaks(context);
    }

    private static void allocateToTriggerReporting() {
        // Netty reports collected leaks when it tracks the next allocation.
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(1);
        pooled.release();
        ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(1);
        unpooled.release();
    }

    private static void failOnLeaks(ExtensionContext context) {
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + ".release() was not called before it was garbage-collected.");
            super.reportUntracedLeak(resourceType);
        }
    }
}
