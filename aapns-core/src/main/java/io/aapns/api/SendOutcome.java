package io.aapns.api;

import io.aapns.connection.Response;
import io.aapns.pool.RetryObserver;
import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The future {@code send} returns, which is also the pool's callback for the notification: one object per notification
 * instead of a chain of stages.
 */
final class SendOutcome extends CompletableFuture<PushResult>
        implements BiConsumer<Response, Throwable>, RetryObserver {
    private static final Logger log = LoggerFactory.getLogger(ApnsClient.class);

    private final ByteBuf payload;
    private final AsciiString path;
    private final AsciiString apnsId;
    private final SendObserver.ObservedSend observed;
    /** A broadcast: {@link #apnsId} is its apns-request-id, {@link #path} the broadcast path. */
    private final boolean broadcast;

    SendOutcome(
            ByteBuf payload,
            AsciiString path,
            AsciiString apnsId,
            SendObserver.ObservedSend observed,
            boolean broadcast) {
        this.payload = payload;
        this.path = path;
        this.apnsId = apnsId;
        this.observed = observed;
        this.broadcast = broadcast;
    }

    /** The one DEBUG line of a notification's end: the token shortened, no credentials. */
    private void logEnd(PushResult result, Throwable failure) {
        if (!log.isDebugEnabled()) {
            return;
        }
        String token = broadcast ? "a channel" : WireValues.shortToken(path);
        if (result != null) {
            log.debug(
                    "{} {} to {}: {}",
                    broadcast ? "broadcast" : "notification",
                    apnsId,
                    token,
                    result.accepted()
                            ? "accepted"
                            : "rejected " + result.status() + " "
                                    + result.reasonText().orElse(""));
        } else {
            log.debug(
                    "{} {} to {}: failed: {}",
                    broadcast ? "broadcast" : "notification",
                    apnsId,
                    token,
                    failure.toString());
        }
    }

    @Override
    public void retried(int attempt, String reason, Duration delay) {
        if (observed != null) {
            observed.retried(attempt, reason, delay);
        }
    }

    private void observeEnd(PushResult result, Throwable failure) {
        if (observed != null) {
            try {
                observed.ended(result, failure);
            } catch (RuntimeException e) {
                log.warn("SendObserver's ended threw; ignored", e);
            }
        }
    }

    private static final AtomicIntegerFieldUpdater<SendOutcome> RELEASED =
            AtomicIntegerFieldUpdater.newUpdater(SendOutcome.class, "released");
    private volatile int released;

    @Override
    public void accept(Response response, Throwable failure) {
        try {
            release();
            if (failure == null) {
                PushResult result =
                        broadcast ? PushResult.ofBroadcast(response, apnsId) : PushResult.of(response, apnsId);
                logEnd(result, null);
                observeEnd(result, null);
                complete(result);
                return;
            }
        } catch (RuntimeException | Error unexpected) {
            failure = unexpected;
        }
        logEnd(null, failure);
        observeEnd(null, failure);
        // as a dependent stage would have it: join() and whenComplete see a CompletionException
        completeExceptionally(failure instanceof CompletionException ? failure : new CompletionException(failure));
    }

    /** {@code send} threw before or while handing the notification over: give the buffer back once. */
    void abandon() {
        release();
    }

    private void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            payload.release();
        }
    }
}
