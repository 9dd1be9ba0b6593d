package io.aapns.connection;

/** The life cycle of a {@link Connection}. */
public enum ConnectionState {
    /** TCP, TLS and the HTTP/2 preface are in progress; not yet usable. */
    CONNECTING,
    /** Ready: TLS with ALPN h2 is up and the server's first SETTINGS arrived. */
    ACTIVE,
    /**
     * No new requests: the server sent GOAWAY, the client is closing gracefully, or stream ids ran out. Requests
     * already in flight run to their answer.
     */
    DRAINING,
    /** Closed; every request has ended. */
    CLOSED
}
