package io.aapns.connection;

import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears of one connection's events: the observer ({@link ConnectionListener}) and the connection's holder
 * ({@link ConnectionEvents}, a pool). Each call is made safely: what a listener throws is logged and ignored.
 * Per-request events cost nothing, not even a lambda, when the listener does not want them. Event loop only.
 */
final class Observers {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Connection connection;
    private final ConnectionListener listener;
    /** False for {@link ConnectionListener#NONE}: nothing is called. */
    private final boolean listening;
    /** False unless the listener wants per-request events. */
    private final boolean requestEvents;

    private final ConnectionEvents events;

    Observers(Connection connection, ConnectionListener listener, ConnectionEvents events) {
        this.connection = connection;
        this.listener = listener;
        this.listening = listener != ConnectionListener.NONE;
        this.requestEvents = listener.wantsRequestEvents();
        this.events = events;
    }

    void opened() {
        if (listening) {
            try {
                listener.connectionOpened(connection);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    void failed(Throwable cause) {
        if (listening) {
            try {
                listener.connectionFailed(connection.origin(), cause);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    void closed(Throwable cause) {
        if (listening) {
            try {
                listener.connectionClosed(connection, cause);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    /** GOAWAY: told to the listener, then to the holder. */
    void goAway(int lastStreamId, String reason) {
        if (listening) {
            try {
                listener.goAwayReceived(connection, lastStreamId, reason);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
        try {
            events.goAwayReceived(connection, lastStreamId, reason);
        } catch (RuntimeException e) {
            log.warn("ConnectionEvents threw; ignored", e);
        }
    }

    /** More streams may be opened than before: told to the holder. */
    void capacityIncreased() {
        try {
            events.capacityIncreased(connection);
        } catch (RuntimeException e) {
            log.warn("ConnectionEvents threw; ignored", e);
        }
    }

    void sent(Request request) {
        if (requestEvents) {
            try {
                listener.requestSent(connection, request);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    void answered(Request request, Response response, long startNanos) {
        if (requestEvents) {
            try {
                listener.requestAnswered(connection, request, response, System.nanoTime() - startNanos);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    void failed(Request request, Throwable cause, long startNanos) {
        if (requestEvents) {
            try {
                listener.requestFailed(connection, request, cause, System.nanoTime() - startNanos);
            } catch (RuntimeException e) {
                listenerThrew(e);
            }
        }
    }

    void cancelled(Request request, long startNanos) {
        if (requestEvents) {
            failed(request, new CancellationException("cancelled by the caller"), startNanos);
        }
    }

    private static void listenerThrew(RuntimeException e) {
        log.warn("ConnectionListener threw; ignored", e);
    }
}
