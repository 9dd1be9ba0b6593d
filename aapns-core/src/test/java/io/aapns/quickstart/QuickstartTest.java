package io.aapns.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.aapns.api.ApnsClient;
import io.aapns.api.ApnsServer;
import io.aapns.api.PushResult;
import io.aapns.api.SendOptions;
import io.aapns.auth.ClientCertificate;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.model.Alert;
import io.aapns.model.Localized;
import io.aapns.model.Notification;
import io.aapns.model.Priority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Quickstart, compiled and run against the mock server. The code between the markers below must stay
 * identical to the README's snippet: {@link #readmeShowsThisCode()} checks it line by line.
 */
class QuickstartTest {

    static final Path SOURCE = Path.of("src/test/java/io/aapns/quickstart/QuickstartTest.java");
    static final Path README = Path.of("../README.md");

    static CompletableFuture<PushResult> quickstart(
            Path path, char[] password, Path caPemPath, String token, MockApnsServer mock) {
        // spotless:off (the README shows this code exactly as it is written here)
        // quickstart:begin
        ApnsClient client = ApnsClient.builder()
            .server(ApnsServer.production())            // development(), production().altPort(), ApnsServer.of(URI)
            .clientCertificate(ClientCertificate.fromPkcs12(path, password))   // or fromPem(certPath, keyPath[, password])
            // or .signingKey(SigningKey.fromP8(path, keyId, teamId))
            .trustedCertificates(caPemPath)             // optional, e.g. for a mock server
            .topic("com.example.app")                   // default apns-topic
            .poolSize(2).requestTimeout(Duration.ofSeconds(10))
            .server(ApnsServer.of(mock.uri()))          // (the test's own line: send to the mock server)
            .build();
        CompletableFuture<PushResult> f = client.send(token, Notification.builder()
                .alert(Alert.builder().title("Hi").body(Localized.of("GREETING", "Bob")).build())
                .badge(0).sound("default").build(),
            SendOptions.builder().priority(Priority.IMMEDIATE).collapseId("x").build());
        // quickstart:end
        // spotless:on
        return f.whenComplete((result, error) -> client.close());
    }

    @Test
    void quickstartSendsToTheMockServer(@TempDir Path dir) throws Exception {
        try (MockApnsServer mock =
                MockApnsServer.builder().requireClientCertificate(true).start()) {
            Path p12 = mock.issueClientCertificate("com.example.app")
                    .writePkcs12(dir.resolve("client.p12"), "secret".toCharArray());
            String token = "a1b2c3d4".repeat(8);

            PushResult result = quickstart(p12, "secret".toCharArray(), mock.caCertificateFile(), token, mock)
                    .get(30, TimeUnit.SECONDS);

            assertThat(result.accepted()).isTrue();
            RecordedRequest request = mock.requests().get(0);
            assertThat(request.payloadAsString())
                    .isEqualTo("{\"aps\":{\"alert\":{\"title\":\"Hi\","
                            + "\"loc-key\":\"GREETING\",\"loc-args\":[\"Bob\"]},\"badge\":0,\"sound\":\"default\"}}");
            assertThat(request.header("apns-collapse-id")).isEqualTo("x");
            assertThat(request.header("apns-priority")).isEqualTo("10");
        }
    }

    @Test
    void readmeShowsThisCode() throws Exception {
        List<String> test =
                snippet(Files.readString(SOURCE, StandardCharsets.UTF_8), "// quickstart:begin", "// quickstart:end")
                        .stream()
                        .filter(line -> !line.contains("(the test's own line"))
                        .toList();
        Matcher readme = Pattern.compile("(?s)## Quickstart.*?```java\\n(.*?)```")
                .matcher(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(readme.find())
                .as("README.md has a Quickstart section with a java block")
                .isTrue();
        List<String> shown = readme.group(1)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();

        assertThat(shown).containsExactlyElementsOf(test);
    }

    static List<String> snippet(String source, String begin, String end) {
        int from = source.indexOf(begin) + begin.length();
        int to = source.indexOf(end);
        return source.substring(from, to)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
    }
}
