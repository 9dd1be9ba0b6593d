package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Headers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a mock server received, in arrival order: every complete request as a {@link RecordedRequest}, numbered, kept
 * when the server records requests and handed to its listeners. Thread-safe: connections record from their event loops,
 * tests read from theirs.
 */
final class RecordedRequests {

    private final boolean keep;
    private final List<MockServerListener> listeners;
    private final ConcurrentLinkedQueue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param keep whether requests are kept ({@code Builder.recordRequests})
     * @param listeners the server's listeners (a concurrent list it keeps up to date)
     */
    RecordedRequests(boolean keep, List<MockServerListener> listeners) {
        this.keep = keep;
        this.listeners = listeners;
    }

    /** Records a request that arrived on {@code connection}; {@code verdict} null when it was not answered. */
    void record(
            MockConnection connection,
            int streamId,
            Http2Headers headers,
            byte[] payload,
            RecordedRequest.Outcome outcome,
            Verdict verdict,
            String apnsId,
            Clock clock) {
        if (!keep && listeners.isEmpty()) {
            return;
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (Map.Entry<CharSequence, CharSequence> header : headers) {
            String name = header.getKey().toString();
            if (!name.startsWith(":")) {
                copy.computeIfAbsent(name, n -> new ArrayList<>(1))
                        .add(header.getValue().toString());
            }
        }
        copy.replaceAll((name, values) -> Collections.unmodifiableList(values));
        String path = headers.path() == null ? null : headers.path().toString();
        String method = headers.method() == null ? null : headers.method().toString();
        RecordedRequest request = new RecordedRequest(
                sequence.incrementAndGet(),
                connection.id(),
                streamId,
                clock.instant(),
                method,
                path,
                ApnsRules.deviceToken(path),
                Collections.unmodifiableMap(copy),
                payload,
                outcome,
                verdict == null ? 0 : verdict.status(),
                verdict == null ? null : verdict.reason(),
                verdict == null ? null : apnsId);
        if (keep) {
            requests.add(request);
        }
        for (MockServerListener listener : listeners) {
            listener.requestReceived(request);
        }
    }

    /** Every request kept, in arrival order. */
    List<RecordedRequest> all() {
        return List.copyOf(requests);
    }

    /** The requests answered 2xx, in arrival order. */
    List<RecordedRequest> accepted() {
        List<RecordedRequest> accepted = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (request.accepted()) {
                accepted.add(request);
            }
        }
        return accepted;
    }

    /** The broadcasts to {@code channelId} answered 200, in arrival order. */
    List<RecordedRequest> broadcasts(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        List<RecordedRequest> sent = new ArrayList<>();
        for (RecordedRequest request : requests) {
            if (request.accepted()
                    && BroadcastRules.isBroadcast(request.path())
                    && channelId.equals(request.header("apns-channel-id"))) {
                sent.add(request);
            }
        }
        return sent;
    }

    /** Forgets every request; numbering starts again from 1. */
    void clear() {
        requests.clear();
        sequence.set(0);
    }
}
