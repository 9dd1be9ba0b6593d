package io.aapns.mock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The JDK's own HTTP/2 client (java.net.http), pointed at a mock server: a client nobody in this project wrote, so the
 * mock server is checked against an independent HTTP/2 stack.
 */
final class JdkClient {

    static final String TOKEN = "a".repeat(64);
    static final String TOPIC = "com.example.app";
    static final String ALERT = "{\"aps\":{\"alert\":\"hello\"}}";

    private final MockApnsServer server;
    private final HttpClient client;

    JdkClient(MockApnsServer server) {
        this(server, null);
    }

    JdkClient(MockApnsServer server, MockClientCertificate certificate) {
        this.server = server;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(server.clientSslContext(certificate))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A POST of {@link #ALERT} to {@link #TOKEN} for {@link #TOPIC}, to be adjusted by the test. */
    HttpRequest.Builder push() {
        return push(TOKEN, ALERT).header("apns-topic", TOPIC);
    }

    HttpRequest.Builder push(String token, String payload) {
        return HttpRequest.newBuilder(uri("/3/device/" + token))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.version() != HttpClient.Version.HTTP_2) {
            throw new AssertionError("expected HTTP/2, got " + response.version());
        }
        return response;
    }

    HttpClient client() {
        return client;
    }
}
