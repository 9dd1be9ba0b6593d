package io.aapns.mock.junit;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockChannel;
import io.aapns.mock.RecordedRequest;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link MockApnsServer} for JUnit 5 tests. Registered on a static field it serves the whole test class and is
 * {@link MockApnsServer#reset() reset} after each test; registered on an instance field it starts fresh for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static MockApnsServerExtension apns = new MockApnsServerExtension();
 *
 * @Test
 * void sends() {
 *     URI origin = apns.server().uri();
 * }
 * }</pre>
 *
 * Test methods may also declare a {@link MockApnsServer} parameter.
 */
public final class MockApnsServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Consumer<MockApnsServer.Builder> customizer;
    private MockApnsServer server;
    private boolean perClass;

    /** An extension whose servers use the builder's defaults. */
    public MockApnsServerExtension() {
        this(builder -> {});
    }

    /** An extension whose servers are configured by {@code customizer} before they start. */
    public MockApnsServerExtension(Consumer<MockApnsServer.Builder> customizer) {
        this.customizer = customizer;
    }

    /** The running server. */
    public MockApnsServer server() {
        if (server == null) {
            throw new IllegalStateException("the mock APNs server runs only while a test runs");
        }
        return server;
    }

    /** The origin of the running server's channel management API ({@link MockApnsServer#channelsUri()}). */
    public URI channelsUri() {
        return server().channelsUri();
    }

    /** The channels that exist on the running server ({@link MockApnsServer#channels()}). */
    public List<MockChannel> channels() {
        return server().channels();
    }

    /** What the running server accepted as broadcasts to {@code channelId} ({@link MockApnsServer#broadcasts}). */
    public List<RecordedRequest> broadcasts(String channelId) {
        return server().broadcasts(channelId);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        server = start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            server = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perClass) {
            server.reset();
        } else {
            stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockApnsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private MockApnsServer start() {
        MockApnsServer.Builder builder = MockApnsServer.builder();
        customizer.accept(builder);
        return builder.start();
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
