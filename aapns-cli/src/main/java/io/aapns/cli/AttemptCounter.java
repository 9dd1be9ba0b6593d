package io.aapns.cli;

import io.aapns.connection.Request;
import io.aapns.connection.Response;
import io.aapns.spi.ApnsListener;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Learns how many attempts each notification took from the pool's {@link #requestCompleted} event, which comes just
 * before the notification's future completes, keyed by the apns-id the command gave it.
 */
final class AttemptCounter implements ApnsListener {

    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    @Override
    public boolean wantsRequestEvents() {
        return false; // the per-connection events are not needed; the pool's completion event still comes
    }

    @Override
    public void requestCompleted(Request request, Response response, Throwable cause, int count, long elapsedNanos) {
        request.header("apns-id").ifPresent(id -> attempts.put(id, count));
    }

    /** The attempts of the notification with this id, forgotten once taken; null if unknown. */
    Integer take(UUID apnsId) {
        return attempts.remove(apnsId.toString());
    }
}
