package io.aapns.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.ClientCertificate;
import io.aapns.channels.ApnsChannelServer;
import io.aapns.channels.ApnsChannels;
import io.aapns.connection.ApnsResources;
import io.aapns.connection.Connection;
import io.aapns.mock.MockApnsServer;
import io.aapns.model.Notification;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared event loops: many clients on one {@link ApnsResources}, which outlive none of them and are outlived by none.
 */
class ApnsResourcesTest {

    private static final String TOPIC = "com.example.app";
    private static final String TOKEN = "0123456789abcdef".repeat(4);
    /** Threads of ApnsResources' groups ("aapns-<group>-<thread>"), not of a pool's own ("aapns-pool-..."). */
    private static final Pattern SHARED = Pattern.compile("aapns-\\d+-\\d+");

    @TempDir
    Path dir;

    private final MockApnsServer server = MockApnsServer.builder().start();

    @AfterEach
    void stop() {
        server.close();
    }

    private ApnsClient.Builder client() {
        Path p12 = server.issueClientCertificate(TOPIC).writePkcs12(dir.resolve("c.p12"), "pw".toCharArray());
        return ApnsClient.builder()
                .server(ApnsServer.of(server.uri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(server.caCertificateFile())
                .topic(TOPIC)
                .poolSize(2);
    }

    private static boolean accepted(ApnsClient client) throws Exception {
        return client.send(TOKEN, Notification.builder().alert("Hi").build())
                .get(30, TimeUnit.SECONDS)
                .accepted();
    }

    private static long threads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }

    private static long sharedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && SHARED.matcher(t.getName()).matches())
                .count();
    }

    @Test
    void clientsShareTheLoopsWhichStopAfterTheResourcesAndTheLastClientClosed() throws Exception {
        long poolThreadsBefore = threads("aapns-pool-");
        long sharedBefore = sharedThreads();
        ApnsResources resources = ApnsResources.builder().threads(1).build();
        ApnsClient first = client().resources(resources).build();
        ApnsClient second = client().resources(resources).build();
        assertThat(accepted(first)).isTrue();
        assertThat(accepted(second)).isTrue();
        assertThat(threads("aapns-pool-")).as("no loops of the clients' own").isEqualTo(poolThreadsBefore);
        assertThat(sharedThreads() - sharedBefore).as("one shared loop thread").isEqualTo(1);

        first.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(accepted(second))
                .as("closing one client leaves the loops to the other")
                .isTrue();

        resources.close();
        assertThat(accepted(second))
                .as("closing the resources does not cut off a running client")
                .isTrue();
        assertThat(resources.terminationFuture()).isNotDone();
        assertThatThrownBy(() -> client().resources(resources).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");

        second.close();
        resources.terminationFuture().get(10, TimeUnit.SECONDS);
        assertThat(resources.isClosed()).isTrue();
    }

    @Test
    void channelManagementRunsOnTheSameLoops() throws Exception {
        ApnsResources resources = ApnsResources.builder().threads(1).build();
        Path p12 = server.issueClientCertificate(TOPIC).writePkcs12(dir.resolve("m.p12"), "pw".toCharArray());
        ApnsChannels channels = ApnsChannels.builder()
                .server(ApnsChannelServer.of(server.channelsUri()))
                .clientCertificate(ClientCertificate.fromPkcs12(p12, "pw".toCharArray()))
                .trustedCertificates(java.util.List.of(server.caCertificate()))
                .bundleId(TOPIC)
                .resources(resources)
                .build();
        assertThat(channels.list().get(30, TimeUnit.SECONDS)).isEmpty();
        resources.close();
        assertThat(resources.terminationFuture()).isNotDone();
        channels.close();
        resources.terminationFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void resourcesWithNoClientStopWhenClosed() throws Exception {
        ApnsResources resources = ApnsResources.create();
        assertThat(resources.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        resources.close();
        resources.close();
        resources.terminationFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aClientThatCannotBeBuiltReturnsItsLease() throws Exception {
        ApnsResources resources = ApnsResources.builder().threads(1).build();
        assertThatThrownBy(() -> ApnsClient.builder()
                        .server(ApnsServer.of(server.uri()))
                        .resources(resources)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no credentials");
        resources.close();
        resources.terminationFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void resourcesAndAGroupOfOnesOwnAreNotBoth() {
        EventLoopGroup group = Connection.newEventLoopGroup(1, "own");
        try (ApnsResources resources = ApnsResources.builder().threads(1).build()) {
            assertThatThrownBy(() ->
                            client().resources(resources).eventLoopGroup(group).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not both");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void atLeastOneThread() {
        assertThatThrownBy(() -> ApnsResources.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be 1 or more, was 0");
    }
}
