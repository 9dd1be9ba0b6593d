package io.aapns.pool;

import static io.aapns.pool.PoolTesting.TOKEN;
import static io.aapns.pool.PoolTesting.WAIT;
import static io.aapns.pool.PoolTesting.failure;
import static io.aapns.pool.PoolTesting.options;
import static io.aapns.pool.PoolTesting.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aapns.connection.Connection;
import io.aapns.connection.ConnectionListener;
import io.aapns.connection.ConnectionState;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.errors.BlockedException;
import io.aapns.errors.ClosedException;
import io.aapns.errors.ConnectFailedException;
import io.aapns.errors.RequestTimeoutException;
import io.aapns.mock.MockApnsServer;
import io.aapns.mock.RecordedRequest;
import io.aapns.mock.junit.MockApnsServerExtension;
import io.aapns.spi.ApnsListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool against the mock APNs server: delivery semantics, healing, bounds, closing. */
class PoolTest {

    @RegisterExtension
    static MockApnsServerExtension apns = new MockApnsServerExtension(
            b -> b.recordRequests(true).validateJson(false).gracefulShutdownTimeout(Duration.ofSeconds(5)));

    private final List<Pool> pools = new CopyOnWriteArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(Pool::close);
    }

    Pool pool(PoolOptions options) throws Exception {
        Pool pool = Pool.create(apns.server().uri(), options).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pools.add(pool);
        return pool;
    }

    /** A one-connection pool to a server that answers nothing and allows {@code streams} streams. */
    Pool stalledPool(int streams, PoolOptions.Builder options) throws Exception {
        apns.server().maxConcurrentStreams(streams);
        apns.server().faults().stallAll(true);
        Pool pool = pool(options.build());
        await().until(() -> pool.connections().get(0).maxConcurrentStreams() == streams);
        return pool;
    }

    static List<Response> postAll(Pool pool, int count) {
        List<CompletableFuture<Response>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(pool.post(push()));
        }
        return futures.stream()
                .map(f -> f.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join())
                .toList();
    }

    /** Asserts the server accepted each apns-id exactly once and returns how many there were. */
    static void assertEachAcceptedOnce(MockApnsServer server, int expected) {
        Map<String, Long> counts = server.acceptedRequests().stream()
                .collect(Collectors.groupingBy(RecordedRequest::apnsId, Collectors.counting()));
        assertThat(counts).hasSize(expected);
        assertThat(counts.values()).allMatch(c -> c == 1L);
    }

    @Test
    void twoThousandConcurrentPostsThroughTwoConnections() throws Exception {
        Pool pool = pool(options(apns.server()).size(2).build());

        List<Response> responses = postAll(pool, 2000);

        assertThat(responses).allMatch(r -> r.status() == 200);
        assertEachAcceptedOnce(apns.server(), 2000);
        assertThat(apns.server().connections()).hasSize(2);
        PoolStats stats = pool.stats();
        assertThat(stats.completed()).isEqualTo(2000);
        assertThat(stats.failed()).isZero();
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.queued()).isZero();
        assertThat(stats.connections()).containsEntry(ConnectionState.ACTIVE, 2);
        assertThat(pool.connections()).hasSize(2).allMatch(ConnectionSnapshot::usable);
    }

    @Test
    void manyProducerThreadsAtOnce() throws Exception {
        apns.server().maxConcurrentStreams(50);
        Pool pool = pool(options(apns.server()).size(2).build());
        int threads = 8;
        int each = 500;
        java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<List<CompletableFuture<Response>>>> batches = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                batches.add(producers.submit(() -> {
                    start.await();
                    List<CompletableFuture<Response>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(pool.post(push()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (var batch : batches) {
                for (CompletableFuture<Response> f : batch.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    responses.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
                }
            }
            assertThat(responses).hasSize(threads * each).allMatch(r -> r.status() == 200);
            assertEachAcceptedOnce(apns.server(), threads * each);
            assertThat(pool.stats().completed()).isEqualTo(threads * each);
            assertThat(pool.stats().queued()).isZero();
        } finally {
            producers.shutdownNow();
        }
    }

    @Test
    void goAwayEveryHundredStreamsLosesNothingAndDuplicatesNothing() throws Exception {
        apns.server().faults().goAwayAfter(100);
        Pool pool = pool(options(apns.server())
                .size(2)
                .maxPending(20_000)
                .requestTimeout(Duration.ofSeconds(120))
                .build());

        List<Response> responses = postAll(pool, 20_000);

        assertThat(responses).allMatch(r -> r.status() == 200);
        assertEachAcceptedOnce(apns.server(), 20_000);
        assertThat(apns.server().requests()).allMatch(RecordedRequest::accepted);
        assertThat(apns.server().connections().size()).isGreaterThanOrEqualTo(200);
        PoolStats stats = pool.stats();
        assertThat(stats.completed()).isEqualTo(20_000);
        assertThat(stats.possibleDuplicates()).isZero();
        assertThat(stats.retried()).doesNotContainKey("connection-lost");
    }

    @Test
    void requestsNotTakenByDrainingConnectionsAreReSentAtOnceHoweverOften() throws Exception {
        // Connections that serve ten streams each and then drain: with 200 in flight on two of them, many requests
        // are not taken several times over. That is the routine end of a connection, not a fault to back off from
        // (a back-off would hold a notification 100 ms and more for nothing).
        apns.server().faults().goAwayAfter(10);
        java.util.concurrent.atomic.AtomicInteger notTaken = new java.util.concurrent.atomic.AtomicInteger();
        List<String> delayed = new CopyOnWriteArrayList<>();
        ApnsListener listener = new ApnsListener() {
            @Override
            public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
                if (reason.equals("unprocessed")) {
                    notTaken.incrementAndGet();
                }
                if (!delay.isZero()) {
                    delayed.add("attempt " + attempt + " " + reason + " after " + delay + ": " + cause);
                }
            }
        };
        Pool pool = pool(options(apns.server())
                .size(2)
                .maxPending(2_000)
                .requestTimeout(Duration.ofSeconds(120))
                .listener(listener)
                .build());

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(pool.post(push()));
        }
        for (CompletableFuture<Response> f : futures) {
            assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).status()).isEqualTo(200);
        }

        assertEachAcceptedOnce(apns.server(), 2_000);
        assertThat(notTaken.get())
                .as("requests not taken by a draining connection")
                .isPositive();
        assertThat(delayed).as("re-sends that waited").isEmpty();
        assertThat(pool.stats().possibleDuplicates()).isZero();
    }

    @Test
    void connectionsCutMidFlightLoseNothingAndCountPossibleDuplicates() throws Exception {
        // 20 streams at a time, answers 20 ms late, the connection cut when stream 51 arrives:
        // each connection is lost with answers still owed
        apns.server().maxConcurrentStreams(20);
        apns.server().faults().delay(Duration.ofMillis(20)).closeAfter(50);
        // a budget of re-sends that may duplicate large enough for a request lost again and again
        Pool pool = pool(options(apns.server()).size(2).maxUnsafeRetries(100).build());

        List<Response> responses = postAll(pool, 1000);

        assertThat(responses).allMatch(r -> r.status() == 200);
        PoolStats stats = pool.stats();
        assertThat(stats.possibleDuplicates()).isPositive();
        assertThat(stats.retried()).containsKey("connection-lost");
        // the server may have processed what it never answered: that is what a possible duplicate is
        assertThat(apns.server().acceptedRequests().size()).isBetween(1000, 1000 + (int) stats.possibleDuplicates());
    }

    @Test
    void withTheDefaultBudgetARequestLostTwiceFailsSayingItMayHaveBeenDelivered() throws Exception {
        // every connection is cut when its 2nd stream arrives, the 1st unanswered: both are lost
        // after they went out whole, on every connection
        apns.server().faults().stallAll(true).closeAfter(1);
        Pool pool = pool(options(apns.server()).size(1).build());

        List<Throwable> failures = List.of(pool.post(push()), pool.post(push())).stream()
                .map(PoolTesting::failure)
                .toList();

        assertThat(failures).allSatisfy(f -> {
            assertThat(f).isInstanceOf(ClosedException.class).hasMessageContaining("may have been delivered");
            assertThat(((ClosedException) f).possiblyDelivered()).isTrue();
        });
        // the first attempts and exactly one re-send each (PoolOptions.maxUnsafeRetries defaults to 1)
        assertThat(pool.stats().possibleDuplicates()).isEqualTo(2);
        assertThat(pool.stats().retried()).containsEntry("connection-lost", 2L);
    }

    @Test
    void anAttemptWithoutAnAnswerIsCancelledAndSentOnceMoreAsAPossibleDuplicate() throws Exception {
        apns.server().faults().stallAll(true);
        Pool pool = pool(options(apns.server())
                .size(1)
                .attemptTimeout(Duration.ofMillis(300))
                .build());

        Throwable failure = failure(pool.post(push()));

        assertThat(failure).isInstanceOf(ClosedException.class).hasMessageContaining("may have been delivered");
        assertThat(((ClosedException) failure).possiblyDelivered()).isTrue();
        assertThat(failure.getCause()).isInstanceOf(RequestTimeoutException.class);
        await().atMost(WAIT).until(() -> apns.server().requests().size() == 2);
        assertThat(pool.stats().retried()).containsEntry("attempt-timeout", 1L);
        // the server answered the PING that followed each unanswered attempt: the connection stays
        assertThat(pool.connections())
                .singleElement()
                .satisfies(c -> assertThat(c.sent()).isEqualTo(2));
    }

    @Test
    void retriesServiceUnavailableWithBackoff() throws Exception {
        apns.server().faults().respondNext(3, 503, "ServiceUnavailable");
        Pool pool = pool(options(apns.server()).size(1).build());

        Response response = pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(apns.server().requests()).extracting(RecordedRequest::status).containsExactly(503, 503, 503, 200);
        assertThat(pool.stats().retried()).containsEntry("ServiceUnavailable", 3L);
    }

    @Test
    void givesTheLastAnswerWhenTheDeadlineLeavesNoTimeToRetry() throws Exception {
        apns.server().faults().respondNext(1000, 429, "TooManyRequests");
        Pool pool = pool(options(apns.server())
                .size(1)
                .retryPolicy(RetryPolicy.builder()
                        .initialBackoff(Duration.ofMillis(400))
                        .maxBackoff(Duration.ofMillis(400))
                        .jitter(0)
                        .build())
                .build());

        // attempts at about 0, 400 and 800 ms; a fourth would start at 1200 ms, past the deadline
        Response response = pool.post(
                        push().newBuilder().timeout(Duration.ofMillis(1000)).build())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.reason()).hasValue("TooManyRequests");
        assertThat(apns.server().requests()).hasSizeBetween(2, 3);
    }

    @Test
    void doesNotRetryRejections() throws Exception {
        apns.server().markUnregistered(TOKEN, java.time.Instant.ofEpochMilli(1_700_000_000_000L));
        Pool pool = pool(options(apns.server()).size(1).build());

        Response response = pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(410);
        assertThat(apns.server().requests()).hasSize(1);
        assertThat(pool.stats().retriedTotal()).isZero();
    }

    @Test
    void resendsRefusedStreams() throws Exception {
        apns.server().faults().refuseNext(5);
        Pool pool = pool(options(apns.server()).size(1).build());

        List<Response> responses = postAll(pool, 10);

        assertThat(responses).allMatch(r -> r.status() == 200);
        assertThat(pool.stats().retried()).containsEntry("unprocessed", 5L);
        assertThat(pool.stats().possibleDuplicates()).isZero();
        assertEachAcceptedOnce(apns.server(), 10);
    }

    @Test
    void failsAtTheDeadlineWhenEveryConnectionIsDown() throws Exception {
        MockApnsServer server = MockApnsServer.builder().start();
        Pool pool;
        try {
            pool = Pool.create(server.uri(), options(server).size(2).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            pools.add(pool);
        } finally {
            server.close();
        }
        await().atMost(WAIT).until(() -> pool.connections().stream().noneMatch(ConnectionSnapshot::usable));

        long start = System.nanoTime();
        CompletableFuture<Response> later =
                pool.post(push().newBuilder().timeout(WAIT).build());
        Throwable failure = failure(
                pool.post(push().newBuilder().timeout(Duration.ofMillis(500)).build()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failure).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("attempt");
        // at its own deadline: not before it, and while a request with a later one still waits
        assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        assertThat(later).isNotDone();
        assertThat(pool.connections()).allSatisfy(c -> assertThat(c.lastError()).isPresent());
    }

    @Test
    void fullQueueFailsFast() throws Exception {
        apns.server().maxConcurrentStreams(5);
        apns.server().faults().stallAll(true);
        Pool pool = pool(options(apns.server()).size(1).maxPending(10).build());
        await().until(() -> pool.connections().get(0).maxConcurrentStreams() == 5);

        List<CompletableFuture<Response>> accepted = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            accepted.add(pool.post(push()));
        }
        CompletableFuture<Response> overflow = pool.post(push());

        assertThat(overflow).isCompletedExceptionally();
        assertThat(failure(overflow)).isInstanceOf(BlockedException.class).hasMessageContaining("maxPending");
        assertThat(accepted).noneMatch(CompletableFuture::isDone);
        assertThat(pool.stats().queued()).isEqualTo(10);
        assertThat(pool.stats().inFlight()).isEqualTo(5);
    }

    @Test
    void resizingUnderLoadLosesNothing() throws Exception {
        apns.server().faults().delay(Duration.ofMillis(5));
        Pool pool = pool(options(apns.server()).size(2).build());

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            futures.add(pool.post(push()));
            if (i == 1000) {
                pool.resize(4);
            } else if (i == 2000) {
                pool.resize(1);
            }
        }

        assertThat(futures.stream().map(CompletableFuture::join)).allMatch(r -> r.status() == 200);
        assertEachAcceptedOnce(apns.server(), 3000);
        await().atMost(WAIT).untilAsserted(() -> assertThat(pool.connections()).hasSize(1));
        assertThat(apns.server().connections().size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void credentialGoAwayClosesThePool() throws Exception {
        Pool pool = pool(options(apns.server()).size(2).build());
        apns.server().faults().goAwayOnNextRequest("BadCertificateEnvironment");

        Throwable first = failure(pool.post(push()));
        Throwable later = failure(pool.post(push()));

        assertThat(first).isInstanceOf(ClosedException.class);
        assertThat(later).isInstanceOf(ClosedException.class).hasMessageContaining("BadCertificateEnvironment");
        assertThat(pool.isOpen()).isFalse();
        assertThat(pool.closeCause())
                .hasValueSatisfying(c -> assertThat(c).hasMessageContaining("BadCertificateEnvironment"));
    }

    @Test
    void closeGracefullyLetsQueuedAndInFlightFinish() throws Exception {
        apns.server().maxConcurrentStreams(10);
        apns.server().faults().delay(Duration.ofMillis(100));
        Pool pool = pool(options(apns.server()).size(1).build());
        await().until(() -> pool.connections().get(0).maxConcurrentStreams() == 10);

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(pool.post(push()));
        }
        CompletableFuture<Void> closed = pool.closeGracefully(Duration.ofSeconds(30));
        Throwable late = failure(pool.post(push()));

        assertThat(futures.stream().map(CompletableFuture::join)).allMatch(r -> r.status() == 200);
        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(late).isInstanceOf(ClosedException.class).hasMessageContaining("closing");
        assertThat(pool.isOpen()).isFalse();
        assertThat(pool.stats().completed()).isEqualTo(50);
        assertThat(pool.stats().failed()).isEqualTo(1);
    }

    @Test
    void closeFailsEverythingPending() throws Exception {
        apns.server().maxConcurrentStreams(5);
        apns.server().faults().stallAll(true);
        Pool pool = pool(options(apns.server()).size(1).build());
        await().until(() -> pool.connections().get(0).maxConcurrentStreams() == 5);
        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.post(push()));
        }
        await().until(() -> apns.server().requests().size() == 5);

        pool.close();

        assertThat(futures).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(ClosedException.class));
        pool.terminationFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(pool.stats().failed()).isEqualTo(20);
        assertThat(pool.stats().queued()).isZero();
    }

    @Test
    void replacesConnectionsThatGoAway() throws Exception {
        Pool pool = pool(options(apns.server()).size(2).build());
        await().until(() -> apns.server().openConnections().size() == 2);

        apns.server().connections().get(0).goAway("Shutdown");

        await().atMost(WAIT)
                .until(() -> apns.server().connections().size() == 3
                        && apns.server().openConnections().size() == 2);
        assertThat(postAll(pool, 10)).allMatch(r -> r.status() == 200);
    }

    @Test
    void aServerThatBreaksAfterStartIsRetriedNotFatal() throws Exception {
        MockApnsServer first = MockApnsServer.builder().start();
        int port = first.port();
        Pool pool = Pool.create(first.uri(), options(first).size(1).build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        pools.add(pool);
        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);
        first.close();

        // the same port now answers TLS without HTTP/2: at start that would be fatal, now it is not
        try (MockApnsServer broken = MockApnsServer.builder()
                .port(port)
                .certificatesFrom(first)
                .advertiseHttp2(false)
                .start()) {
            await().atMost(WAIT)
                    .until(() -> pool.connections()
                            .get(0)
                            .lastError()
                            .map(e -> e.contains("HTTP/2"))
                            .orElse(false));
            assertThat(pool.isOpen()).isTrue();
        }
        try (MockApnsServer healed =
                MockApnsServer.builder().port(port).certificatesFrom(first).start()) {
            // while no connection could be opened, posts failed at once with the cause; now one opens
            await().atMost(WAIT).until(() -> pool.connections().get(0).state() == ConnectionState.ACTIVE);
            assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                    .isEqualTo(200);
            assertThat(healed.acceptedRequests()).hasSize(1);
        }
    }

    @Test
    void creationFailsFastOnPermanentFailures() {
        try (MockApnsServer noHttp2 =
                MockApnsServer.builder().advertiseHttp2(false).start()) {
            CompletableFuture<Pool> creating =
                    Pool.create(noHttp2.uri(), options(noHttp2).build());

            Throwable failure = failure(creating);

            assertThat(failure).isInstanceOf(ConnectFailedException.class).hasMessageContaining("HTTP/2");
        }
    }

    @Test
    void creationGivesUpAfterTheStartTimeout() {
        MockApnsServer server = MockApnsServer.builder().start();
        server.close();

        Throwable failure = failure(Pool.create(
                server.uri(),
                options(server).startTimeout(Duration.ofMillis(500)).build()));

        assertThat(failure).isInstanceOf(ConnectFailedException.class).hasMessageContaining("within");
    }

    @Test
    void rejectsBadOptions() {
        assertThatThrownBy(() -> PoolOptions.builder().size(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoolOptions.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connectionOptions");
        assertThatThrownBy(() -> Pool.create(
                        java.net.URI.create("http://127.0.0.1:1"),
                        options(apns.server()).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postWithACallbackReportsEveryOutcomeExactlyOnce() throws Exception {
        apns.server().maxConcurrentStreams(50); // most requests wait in the queue first
        Pool pool = pool(options(apns.server()).size(2).build());
        int count = 1_000;
        java.util.concurrent.atomic.AtomicIntegerArray calls =
                new java.util.concurrent.atomic.AtomicIntegerArray(count);
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.post(push(), (response, failure) -> {
                calls.incrementAndGet(n);
                if (failure == null && response.status() == 200) {
                    accepted.incrementAndGet();
                }
                ended.incrementAndGet();
            });
        }
        await().atMost(WAIT).until(() -> ended.get() == count);
        assertThat(accepted).hasValue(count);
        for (int i = 0; i < count; i++) {
            assertThat(calls.get(i)).as("calls for request %d", i).isEqualTo(1);
        }
        assertEachAcceptedOnce(apns.server(), count);

        // a callback that throws is logged; the pool goes on
        pool.post(push(), (response, failure) -> {
            throw new IllegalStateException("a careless callback");
        });
        assertThat(postAll(pool, 10)).allMatch(r -> r.status() == 200);
        await().atMost(WAIT).until(() -> pool.stats().inFlight() == 0);

        // a closed pool reports at once, on the calling thread
        pool.close();
        List<Throwable> late = new ArrayList<>();
        pool.post(push(), (response, failure) -> late.add(failure));
        assertThat(late).singleElement().isInstanceOf(ClosedException.class);
    }

    @Test
    void queuedRequestsFailAtTheirOwnDeadlinesWhateverTheirOrder() throws Exception {
        Pool pool = stalledPool(1, options(apns.server()).size(1));

        CompletableFuture<Response> onTheWire =
                pool.post(push().newBuilder().timeout(WAIT).build());
        CompletableFuture<Response> late =
                pool.post(push().newBuilder().timeout(Duration.ofSeconds(40)).build());
        CompletableFuture<Response> soon =
                pool.post(push().newBuilder().timeout(Duration.ofMillis(300)).build());
        CompletableFuture<Response> middle =
                pool.post(push().newBuilder().timeout(Duration.ofMillis(900)).build());
        await().atMost(WAIT).until(() -> pool.stats().queued() == 3 || soon.isDone());

        // queued behind a request with a later deadline, each still fails at its own
        assertThat(failure(soon)).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("0 attempt");
        assertThat(middle).isNotDone();
        assertThat(failure(middle)).isInstanceOf(RequestTimeoutException.class);
        assertThat(late).isNotDone();
        assertThat(onTheWire).isNotDone();
        assertThat(pool.stats().queued()).isEqualTo(1);
    }

    @Test
    void aLongQueueAgainstAStalledServerExpiresCompletely() throws Exception {
        Pool pool = stalledPool(10, options(apns.server()).size(1).maxPending(20_000));

        List<CompletableFuture<Response>> futures = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            // deadlines spread over 0.2 to 1.2 s, in no order
            futures.add(pool.post(push().newBuilder()
                    .timeout(Duration.ofMillis(200 + (i * 7919L) % 1000))
                    .build()));
        }
        for (int i = 0; i < 2_000; i++) {
            // and ever shorter ones: each lowers the earliest queued deadline
            futures.add(pool.post(push().newBuilder()
                    .timeout(Duration.ofNanos(1_500_000_000L - 500_000L * i))
                    .build()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .exceptionally(t -> null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(futures).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(RequestTimeoutException.class));
        assertThat(pool.stats().queued()).isZero();
    }

    @Test
    void aDeadlineTooFarToAddUpDoesNotHideTheOthers() throws Exception {
        Pool pool = stalledPool(1, options(apns.server()).size(1));

        CompletableFuture<Response> onTheWire =
                pool.post(push().newBuilder().timeout(WAIT).build());
        // an absolute deadline that overflows when added to: "never"
        CompletableFuture<Response> never = pool.post(push().newBuilder()
                .deadlineNanos(System.nanoTime() + Long.MAX_VALUE)
                .build());
        CompletableFuture<Response> soon =
                pool.post(push().newBuilder().timeout(Duration.ofMillis(200)).build());

        assertThat(failure(soon)).isInstanceOf(RequestTimeoutException.class);
        assertThat(never).isNotDone();
        assertThat(onTheWire).isNotDone();
    }

    /** Events one listener received, in order, by name. */
    static final class Recording implements ApnsListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void connectionOpened(Connection connection) {
            events.add("opened");
        }

        @Override
        public void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {
            events.add("answered " + response.status());
        }

        @Override
        public void requestCompleted(
                Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
            events.add("completed " + response.status());
        }
    }

    @Test
    void aListenerSetOnThePoolAlsoSeesItsConnections() throws Exception {
        Recording listener = new Recording();
        Pool pool = pool(options(apns.server()).size(1).listener(listener).build());

        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> listener.events.contains("completed 200"));
        assertThat(listener.events).containsSubsequence("opened", "answered 200", "completed 200");
    }

    @Test
    void anApnsListenerInTheConnectionOptionsStillHearsThePool() throws Exception {
        Recording listener = new Recording();
        PoolOptions base = options(apns.server()).size(1).build();
        PoolOptions options = base.newBuilder()
                .connectionOptions(
                        base.connectionOptions().newBuilder().listener(listener).build())
                .build();
        assertThat(options.listener()).isSameAs(listener);
        Pool pool = pool(options);

        assertThat(pool.post(push()).get(WAIT.toSeconds(), TimeUnit.SECONDS).status())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> listener.events.contains("completed 200"));
        assertThat(listener.events).containsSubsequence("opened", "answered 200", "completed 200");
    }

    @Test
    void aPlainConnectionListenerGivesThePoolNoListener() {
        ConnectionListener connectionOnly = new ConnectionListener() {};
        PoolOptions base = options(apns.server()).build();
        PoolOptions options = base.newBuilder()
                .connectionOptions(base.connectionOptions()
                        .newBuilder()
                        .listener(connectionOnly)
                        .build())
                .build();
        assertThat(options.listener()).isSameAs(ApnsListener.NONE);
        Recording own = new Recording();
        assertThat(options.newBuilder().listener(own).build().listener()).isSameAs(own);
    }
}
