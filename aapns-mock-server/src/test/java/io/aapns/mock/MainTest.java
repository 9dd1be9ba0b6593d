package io.aapns.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: what it prints and writes, and that the server it starts answers. */
class MainTest {

    @Test
    void startsAServerAndWritesItsCertificates(@TempDir Path folder) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (MockApnsServer server = Main.run(
                new String[] {
                    "--port",
                    "0",
                    "--channel-port",
                    "0",
                    "--max-channels",
                    "3",
                    "--development",
                    "--delay",
                    "10ms",
                    "--client-topic",
                    "com.example.cli",
                    "--out",
                    folder.toString()
                },
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output)
                    .contains("listening on " + server.uri())
                    .contains("channel management API on " + server.channelsUri())
                    .contains("CA certificate: " + folder.resolve("ca.pem").toAbsolutePath());
            assertThat(Files.readString(folder.resolve("ca.pem"))).isEqualTo(server.caCertificatePem());
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(folder.resolve("client.p12"))) {
                p12.load(in, "changeit".toCharArray());
            }
            assertThat(p12.containsAlias("key")).isTrue();
            assertThat(folder.resolve("client.pem")).exists();
            assertThat(folder.resolve("client-key.pem")).exists();

            JdkClient client = new JdkClient(server);
            assertThat(client.send(client.push()).headers().firstValue("apns-unique-id"))
                    .isPresent();
        }
    }

    @Test
    void rejectsUnknownOptions() {
        assertThatThrownBy(() -> Main.run(new String[] {"--frobnicate"}, System.out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--frobnicate");
    }

    @Test
    void parsesDurations() {
        assertThat(Main.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Main.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
    }
}
