package io.aapns.sample.kafka;

import io.aapns.mock.MockApnsServer;
import io.aapns.sample.support.EmbeddedMockApns;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The embedded mock APNs server of the samples ({@link EmbeddedMockApns}: started when no APNs credentials are
 * configured), built for campaigns of many pushes: it does not keep every request it received in memory
 * ({@link MockApnsTally} counts them instead) and does not parse payloads as JSON. Registered in
 * META-INF/spring.factories.
 */
public class SampleMockApns extends EmbeddedMockApns {

    @Override
    protected MockApnsServer.Builder serverBuilder(ConfigurableEnvironment env) {
        return super.serverBuilder(env).recordRequests(false).validateJson(false);
    }
}
