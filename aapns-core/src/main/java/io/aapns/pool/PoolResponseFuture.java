package io.aapns.pool;

import io.aapns.connection.Response;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** The future {@link Pool#post(io.aapns.connection.Request)} returns, completed by the pool as a callback. */
final class PoolResponseFuture extends CompletableFuture<Response> implements BiConsumer<Response, Throwable> {
    @Override
    public void accept(Response response, Throwable failure) {
        if (failure == null) {
            complete(response);
        } else {
            completeExceptionally(failure);
        }
    }
}
