package io.aapns.cli;

import io.aapns.api.ApnsClient;
import io.aapns.api.PushResult;
import io.aapns.internal.Validation;
import io.aapns.model.Notification;
import io.aapns.model.PushType;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one notification to every token of a {@link TokenSource} through one {@link ApnsClient}, with at most
 * {@code concurrency} in flight, and hands every result to a {@link ResultSink} on one writer thread (never on the
 * client's event loop). When {@code stop} is set it takes no more tokens, and still reports every notification it sent:
 * {@link #run} returns once each has its result.
 */
final class BulkSend {

    private final ApnsClient client;
    private final Notification notification;
    private final PushType pushType;
    private final HeaderArgs headers;
    private final Duration timeout;
    private final int concurrency;
    private final ResultSink sink;
    private final AttemptCounter attempts;
    private final Semaphore permits;
    private final AtomicLong sent = new AtomicLong();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aapns-results");
        t.setDaemon(true);
        return t;
    });

    BulkSend(
            ApnsClient client,
            Notification notification,
            PushType pushType,
            HeaderArgs headers,
            Duration timeout,
            int concurrency,
            ResultSink sink,
            AttemptCounter attempts) {
        this.client = client;
        this.notification = notification;
        this.pushType = pushType;
        this.headers = headers;
        this.timeout = timeout;
        this.concurrency = concurrency;
        this.sink = sink;
        this.attempts = attempts;
        this.permits = new Semaphore(concurrency);
    }

    /** Notifications handed to the client so far, and tokens found invalid. */
    long sent() {
        return sent.get();
    }

    /**
     * Sends to every token until the source ends or {@code stop} is set, then waits for every answer.
     *
     * @throws CliException if the tokens could not be read to the end (after every notification sent is reported)
     */
    void run(TokenSource tokens, AtomicBoolean stop) throws InterruptedException {
        UUID fixedId = headers.fixedApnsId();
        CliException readFailure = null;
        try {
            while (!stop.get()) {
                String raw;
                try {
                    raw = tokens.next(stop);
                } catch (CliException e) {
                    readFailure = e;
                    break;
                }
                if (raw == null) {
                    break;
                }
                String token;
                try {
                    token = Validation.normalizeDeviceToken(raw);
                } catch (IllegalArgumentException e) {
                    invalid(raw, e.getMessage());
                    continue;
                }
                permits.acquire();
                if (stop.get()) {
                    permits.release();
                    break;
                }
                UUID id = fixedId != null ? fixedId : UUID.randomUUID();
                CompletableFuture<PushResult> answer;
                try {
                    answer = client.send(token, notification, headers.sendOptions(pushType, id, timeout));
                } catch (IllegalArgumentException e) {
                    permits.release();
                    invalid(raw, e.getMessage());
                    continue;
                }
                sent.incrementAndGet();
                answer.whenCompleteAsync(
                        (result, failure) -> {
                            try {
                                sink.write(
                                        result != null
                                                ? SendResult.of(token, result, attempts.take(id))
                                                : SendResult.failed(token, id, failure, attempts.take(id)));
                            } finally {
                                permits.release();
                            }
                        },
                        writer);
            }
        } finally {
            awaitAnswers();
        }
        if (readFailure != null) {
            throw readFailure;
        }
    }

    private void invalid(String raw, String message) {
        sent.incrementAndGet();
        writer.execute(() -> sink.write(SendResult.invalid(raw, message)));
    }

    /**
     * Waits until every notification sent has its result written. Each has a deadline ({@code timeout}), so this ends;
     * should it not, the client is closed, which fails what is left, and those failures are written too.
     */
    private void awaitAnswers() throws InterruptedException {
        long bound = timeout.toMillis() * 2 + 30_000;
        if (!permits.tryAcquire(concurrency, bound, TimeUnit.MILLISECONDS)) {
            client.close();
            permits.tryAcquire(concurrency, 30, TimeUnit.SECONDS);
        }
        writer.shutdown();
        writer.awaitTermination(30, TimeUnit.SECONDS);
        sink.flush();
    }
}
