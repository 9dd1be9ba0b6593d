package io.aapns.spring.boot.autoconfigure;

import static io.aapns.spring.boot.autoconfigure.TestFiles.DEVICE;
import static io.aapns.spring.boot.autoconfigure.TestFiles.PASSWORD;
import static io.aapns.spring.boot.autoconfigure.TestFiles.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.model.Notification;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** An observation around each send, a child of the caller's current observation. */
class ApnsObservationTests {

    @RegisterExtension
    static MockApnsServerExtension mock = new MockApnsServerExtension();

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        MockApnsServer apns = mock.server();
        return new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(ApnsAutoConfiguration.class, ApnsObservationAutoConfiguration.class))
                .withPropertyValues(
                        TestFiles.url(apns),
                        TestFiles.trust(apns),
                        "aapns.topic=" + TOPIC,
                        "aapns.retry.initial-backoff=10ms",
                        "aapns.retry.max-backoff=50ms",
                        "aapns.certificate.path=file:" + TestFiles.pkcs12(apns, dir),
                        "aapns.certificate.password=" + PASSWORD);
    }

    private static PushResult send(ApnsClient client, String device) throws Exception {
        return client.send(device, Notification.builder().alert("Hi").build()).get(30, TimeUnit.SECONDS);
    }

    /** Records what the registry's observations go through. */
    static final class Recording implements ObservationHandler<Observation.Context> {
        final List<Observation.Context> started = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onStart(Observation.Context context) {
            started.add(context);
        }

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            events.add(context.getName() + " " + event.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }
    }

    @Test
    void eachSendIsAnObservationWithBoundedLowCardinalityKeys() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            PushResult result = send(client, DEVICE);
            assertThat(result.accepted()).isTrue();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("aapns.send")
                    .that()
                    .hasBeenStarted()
                    .hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "accepted")
                    .hasLowCardinalityKeyValue("reason", "none")
                    .hasLowCardinalityKeyValue("push.type", "alert")
                    .hasHighCardinalityKeyValue("apns.id", result.apnsId());
        });
    }

    @Test
    void aRejectionKeepsItsReasonAndARetryIsAnEvent() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        Recording recording = new Recording();
        registry.observationConfig().observationHandler(recording);
        runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            String gone = DEVICE.replace('0', 'e');
            mock.server().markUnregistered(gone, Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(send(client, gone).accepted()).isFalse();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("aapns.send")
                    .that()
                    .hasLowCardinalityKeyValue("outcome", "rejected")
                    .hasLowCardinalityKeyValue("reason", "Unregistered");

            mock.server().faults().respondNext(1, 503, "ServiceUnavailable");
            assertThat(send(client, DEVICE).accepted()).isTrue();
            assertThat(recording.events).containsExactly("aapns.send aapns.retry");
        });
    }

    @Test
    void aSendInsideAnObservedRequestIsItsChild() {
        ObservationRegistry registry = ObservationRegistry.create();
        Recording recording = new Recording();
        registry.observationConfig().observationHandler(recording);
        runner().withBean(ObservationRegistry.class, () -> registry).run(context -> {
            ApnsClient client = context.getBean(ApnsClient.class);
            Observation request = Observation.start("http.server.requests", registry);
            try (Observation.Scope scope = request.openScope()) {
                assertThat(send(client, DEVICE).accepted()).isTrue();
            } finally {
                request.stop();
            }
            Observation.Context push = recording.started.stream()
                    .filter(c -> c.getName().equals("aapns.send"))
                    .findFirst()
                    .orElseThrow();
            assertThat(push.getParentObservation()).isSameAs(request);
        });
    }

    @Test
    void withoutARegistryOrWhenSwitchedOffNothingObserves() {
        runner().run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean("apnsObservationCustomizer")
                .hasSingleBean(ApnsClient.class));
        runner().withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("aapns.observations.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("apnsObservationCustomizer"));
        runner().withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("apnsObservationCustomizer"));
    }

    @Test
    void eachChannelOperationIsAnObservationUnderTheCaller() {
        ObservationRegistry registry = ObservationRegistry.create();
        Recording recording = new Recording();
        registry.observationConfig().observationHandler(recording);
        runner().withConfiguration(AutoConfigurations.of(ApnsChannelsAutoConfiguration.class))
                .withPropertyValues(
                        "aapns.broadcast.enabled=true",
                        "aapns.broadcast.management-url=" + mock.server().channelsUri())
                .withBean(ObservationRegistry.class, () -> registry)
                .run(context -> {
                    io.aapns.channels.ApnsChannels channels = context.getBean(io.aapns.channels.ApnsChannels.class);
                    Observation request = Observation.start("http.server.requests", registry);
                    try (Observation.Scope scope = request.openScope()) {
                        channels.create(io.aapns.model.MessageStoragePolicy.NO_MESSAGE_STORED)
                                .get(30, TimeUnit.SECONDS);
                    } finally {
                        request.stop();
                    }
                    Observation.Context create = recording.started.stream()
                            .filter(c -> c.getName().equals(ApnsChannelObservations.NAME))
                            .findFirst()
                            .orElseThrow();
                    assertThat(create.getParentObservation()).isSameAs(request);
                    assertThat(create.getLowCardinalityKeyValue("operation").getValue())
                            .isEqualTo("create");
                    assertThat(create.getLowCardinalityKeyValue("outcome").getValue())
                            .isEqualTo("success");
                    assertThat(create.getHighCardinalityKeyValue("apns.request.id"))
                            .isNotNull();
                });
    }
}
