package io.aapns.spi;

import io.aapns.connection.Connection;
import io.aapns.connection.Request;
import io.aapns.connection.Response;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays every event to each of several listeners in order; one that throws is logged and does not keep the others from
 * the event. Like every listener, called on event loops: it adds no blocking of its own.
 */
final class CompositeListener implements ApnsListener {

    private static final Logger log = LoggerFactory.getLogger(CompositeListener.class);

    private final ApnsListener[] listeners;

    private CompositeListener(List<ApnsListener> listeners) {
        this.listeners = listeners.toArray(new ApnsListener[0]);
    }

    /** {@link ApnsListener#NONE} for none, the listener itself for one, else a composite. */
    static ApnsListener of(List<? extends ApnsListener> listeners) {
        List<ApnsListener> some = listeners.stream()
                .filter(l -> l != ApnsListener.NONE)
                .map(ApnsListener.class::cast)
                .toList();
        if (some.isEmpty()) {
            return ApnsListener.NONE;
        }
        if (some.size() == 1) {
            return some.get(0);
        }
        return new CompositeListener(some);
    }

    /** The listeners, in call order. */
    List<ApnsListener> listeners() {
        return List.of(listeners);
    }

    /** True if any of the listeners wants per-request events. */
    @Override
    public boolean wantsRequestEvents() {
        for (ApnsListener l : listeners) {
            if (l.wantsRequestEvents()) {
                return true;
            }
        }
        return false;
    }

    private void each(Consumer<ApnsListener> event) {
        for (ApnsListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                log.warn("ApnsListener {} threw", l, e);
            }
        }
    }

    @Override
    public void connectionOpened(Connection connection) {
        each(l -> l.connectionOpened(connection));
    }

    @Override
    public void connectionFailed(URI origin, Throwable cause) {
        each(l -> l.connectionFailed(origin, cause));
    }

    @Override
    public void connectionClosed(Connection connection, Throwable cause) {
        each(l -> l.connectionClosed(connection, cause));
    }

    @Override
    public void goAwayReceived(Connection connection, int lastStreamId, String reason) {
        each(l -> l.goAwayReceived(connection, lastStreamId, reason));
    }

    @Override
    public void requestSent(Connection connection, Request request) {
        each(l -> l.requestSent(connection, request));
    }

    @Override
    public void requestAnswered(Connection connection, Request request, Response response, long elapsedNanos) {
        each(l -> l.requestAnswered(connection, request, response, elapsedNanos));
    }

    @Override
    public void requestFailed(Connection connection, Request request, Throwable cause, long elapsedNanos) {
        each(l -> l.requestFailed(connection, request, cause, elapsedNanos));
    }

    @Override
    public void requestRetried(Request request, int attempt, Duration delay, String reason, Throwable cause) {
        each(l -> l.requestRetried(request, attempt, delay, reason, cause));
    }

    @Override
    public void requestCompleted(Request request, Response response, Throwable cause, int attempts, long elapsedNanos) {
        each(l -> l.requestCompleted(request, response, cause, attempts, elapsedNanos));
    }
}
