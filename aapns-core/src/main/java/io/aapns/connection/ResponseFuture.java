package io.aapns.connection;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * The future {@link Connection#post(Request)} returns. It is the exchange's callback, and cancelling it resets the
 * request's stream with CANCEL so that the server stops too.
 */
final class ResponseFuture extends CompletableFuture<Response> implements BiConsumer<Response, Throwable> {
    private final ConnectionHandler handler;
    Exchange exchange;

    ResponseFuture(ConnectionHandler handler) {
        this.handler = handler;
    }

    @Override
    public void accept(Response response, Throwable failure) {
        if (failure == null) {
            complete(response);
        } else {
            completeExceptionally(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled && exchange != null) {
            handler.cancelled(exchange);
        }
        return cancelled;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
