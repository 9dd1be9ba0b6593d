package io.aapns.pool;

import io.aapns.auth.SslContexts;
import io.aapns.connection.ConnectionOptions;
import io.aapns.connection.Request;
import io.aapns.mock.MockApnsServer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** What the pool tests share: options that trust a mock server, a push, and waiting for a failure. */
final class PoolTesting {

    static final String TOPIC = "com.example.app";
    static final String TOKEN = "ab".repeat(32);
    static final Duration WAIT = Duration.ofSeconds(60);

    private PoolTesting() {}

    /** Pool options that trust {@code server}, with short back-offs (10 ms doubling to 200 ms). */
    static PoolOptions.Builder options(MockApnsServer server) {
        ConnectionOptions connection = ConnectionOptions.builder()
                .sslContext(SslContexts.builder()
                        .trustedCertificates(List.of(server.caCertificate()))
                        .build())
                .build();
        return PoolOptions.builder()
                .connectionOptions(connection)
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(200))
                        .build());
    }

    /** A small alert push with a fresh apns-id. */
    static Request push() {
        return Request.builder("/3/device/" + TOKEN)
                .header("apns-topic", TOPIC)
                .header("apns-id", UUID.randomUUID().toString())
                .payload("{\"aps\":{\"alert\":\"hi\"}}")
                .build();
    }

    /** The cause {@code future} fails with, waiting at most {@link #WAIT}; an error if it completes. */
    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the future to fail, it completed");
    }
}
