package io.aapns.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.auth.ClientCertificate;
import io.aapns.mock.MockApnsServer;
import io.aapns.model.MessageStoragePolicy;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChannelObserver}: told of each operation's start on the calling thread, its re-sends and its end. */
class ChannelObserverTest {

    @TempDir
    Path dir;

    private final MockApnsServer server = MockApnsServer.builder().start();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        server.close();
    }

    private ApnsChannels channels(ChannelObserver observer) {
        Path p12 = server.issueClientCertificate(ApnsChannelsTest.APP)
                .writePkcs12(dir.resolve("client.p12"), "pw".toCharArray());
        return ApnsChannels.builder()
                .server(ApnsChannelServer.of(server.channelsUri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(List.of(server.caCertificate()))
                .bundleId(ApnsChannelsTest.APP)
                .observer(observer)
                .build();
    }

    private final ChannelObserver recording = started -> {
        seen.add("start " + started.operation().tag() + " on "
                + Thread.currentThread().getName() + " for " + started.bundleId() + " id "
                + !started.requestId().isEmpty());
        return new ChannelObserver.ObservedOperation() {
            @Override
            public void retried(int resend, String reason) {
                seen.add("retry " + resend + " " + reason);
            }

            @Override
            public void ended(Throwable failure) {
                seen.add("end " + started.operation().tag() + " "
                        + (failure == null ? "ok" : failure.getClass().getSimpleName()));
            }
        };
    };

    @Test
    void eachOperationStartsOnTheCallersThreadAndEndsOnce() throws Exception {
        String thread = Thread.currentThread().getName();
        try (ApnsChannels channels = channels(recording)) {
            String id = channels.create(MessageStoragePolicy.NO_MESSAGE_STORED).get(30, TimeUnit.SECONDS);
            channels.delete(id).get(30, TimeUnit.SECONDS);
            ExecutionException gone = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class, () -> channels.get(id).get(30, TimeUnit.SECONDS));
            assertThat(gone.getCause()).isInstanceOf(ChannelRejectedException.class);
        }
        assertThat(seen)
                .containsExactly(
                        "start create on " + thread + " for " + ApnsChannelsTest.APP + " id true",
                        "end create ok",
                        "start delete on " + thread + " for " + ApnsChannelsTest.APP + " id true",
                        "end delete ok",
                        "start read on " + thread + " for " + ApnsChannelsTest.APP + " id true",
                        "end read ChannelRejectedException");
    }

    @Test
    void aResentReadIsARetryOfTheSameObservation() throws Exception {
        String id = server.createChannel(ApnsChannelsTest.APP, 1).id();
        try (ApnsChannels channels = channels(recording)) {
            channels.ready().get(30, TimeUnit.SECONDS);
            server.faults().resetAfterEndStreamNext(1, Http2Error.INTERNAL_ERROR);
            channels.get(id).get(30, TimeUnit.SECONDS);
        }
        assertThat(seen).hasSize(3);
        assertThat(seen.get(1)).startsWith("retry 1 ");
        assertThat(seen.get(2)).isEqualTo("end read ok");
    }

    @Test
    void anObserverThatThrowsLeavesTheOperationUnobserved() throws Exception {
        try (ApnsChannels channels = channels(started -> {
            throw new IllegalStateException("observer bug");
        })) {
            assertThat(channels.list().get(30, TimeUnit.SECONDS)).isEmpty();
        }
    }
}
