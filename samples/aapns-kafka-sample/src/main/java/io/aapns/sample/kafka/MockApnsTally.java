package io.aapns.sample.kafka;

import io.aapns.mock.MockApnsServer;
import io.aapns.mock.MockServerListener;
import io.aapns.mock.RecordedRequest;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Counts the notifications the embedded mock APNs server accepted, when there is one (the bean {@code mockApnsServer}).
 * It listens from the moment the beans are made, before the worker starts sending.
 */
@Component
class MockApnsTally {

    private final LongAdder accepted = new LongAdder();
    private final boolean embedded;

    MockApnsTally(ObjectProvider<MockApnsServer> mock) {
        MockApnsServer server = mock.getIfAvailable();
        this.embedded = server != null;
        if (server != null) {
            server.addListener(new MockServerListener() {
                @Override
                public void requestReceived(RecordedRequest request) {
                    if (request.accepted()) {
                        accepted.increment();
                    }
                }
            });
        }
    }

    /** The notifications the mock accepted, or null when the application sends to a real APNs server. */
    Long accepted() {
        return embedded ? accepted.sum() : null;
    }
}
