package io.aapns.mock;

/**
 * Hooks into a mock server's life, for tests that script a connection as it opens or watch requests as they arrive.
 * Methods run on the server's event loop: keep them short and never block. Register with
 * {@link MockApnsServer#addListener(MockServerListener)}.
 */
public interface MockServerListener {

    /** A connection finished its TLS handshake and negotiated HTTP/2; no request was read yet. */
    default void connectionOpened(MockConnection connection) {}

    /** A connection closed, for whatever reason. */
    default void connectionClosed(MockConnection connection) {}

    /** A complete request arrived and the server decided what to do with it. */
    default void requestReceived(RecordedRequest request) {}
}
