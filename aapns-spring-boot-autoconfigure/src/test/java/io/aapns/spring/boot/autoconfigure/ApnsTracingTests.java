package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** With a tracer behind the observations, a push is a span under the span of the request that sent it. */
class ApnsTracingTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    @Test
    void aPushIsASpanUnderTheRequestsSpanWithItsKeys() {
        MockApnsServer apns = mock.server();
        SimpleTracer tracer = new SimpleTracer();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD)
                .run(context -> {
                    ApnsClient client = context.getBean(ApnsClient.class);
                    Observation request = Observation.start("http.server.requests", registry);
                    try (Observation.Scope scope = request.openScope()) {
                        assertThat(client.send(
                                                DEVICE,
                                                Notification.builder()
                                                        .alert("Hi")
                                                        .build())
                                        .get(30, TimeUnit.SECONDS)
                                        .accepted())
                                .isTrue();
                    } finally {
                        request.stop();
                    }
                    SimpleSpan requestSpan = span(tracer, "http.server.requests");
                    SimpleSpan push = span(tracer, "aapns send");
                    assertThat(push.getTraceId()).isEqualTo(requestSpan.getTraceId());
                    assertThat(push.getParentId()).isEqualTo(requestSpan.getSpanId());
                    assertThat(push.getTags())
                            .containsEntry("outcome", "accepted")
                            .containsEntry("client", "default")
                            .containsKey("apns.id");
                    assertThat(push.getEndTimestamp()).isNotNull();
                });
    }

    private static SimpleSpan span(SimpleTracer tracer, String name) {
        return tracer.getSpans().stream()
                .filter(s -> name.equals(s.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + tracer.getSpans()));
    }
}
