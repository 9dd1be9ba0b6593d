package io.aapns.kafka;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The {@code apns-id} the worker sends a request with, derived from the record so that a record delivered twice (after
 * a worker died or a rebalance) is sent with the same id and can be recognised in the results: the request's own
 * {@code options.apns-id}, else a name-based UUID of its idempotency key, else a name-based UUID of the record's topic,
 * partition and offset.
 */
public final class ApnsIds {

    private ApnsIds() {}

    /**
     * Returns the {@code apns-id} for {@code request}, read from the record at
     * {@code topic}/{@code partition}/{@code offset}.
     */
    public static UUID derive(PushRequest request, String topic, int partition, long offset) {
        if (request.options().apnsId().isPresent()) {
            return request.options().apnsId().get();
        }
        if (request.idempotencyKey().isPresent()) {
            return nameBased("idempotency-key:" + request.idempotencyKey().get());
        }
        return nameBased("record:" + topic + "/" + partition + "/" + offset);
    }

    private static UUID nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
