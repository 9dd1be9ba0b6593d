package io.aapns.bench;

/** One client under test: aapns or Pushy, sending the same notification again and again. */
interface Driver extends AutoCloseable {

    int ACCEPTED = 0;
    int REJECTED = 1;
    int FAILED = 2;

    /** What happened to one notification. Called on the client's threads; must not block. */
    interface Outcome {
        void done(int outcome, Throwable failure);
    }

    /** Sends one notification; {@code outcome} is called exactly once. Never blocks. */
    void send(Outcome outcome);

    /** Waits until the client can send (or throws why it cannot). */
    void awaitReady() throws Exception;

    /** A one-line description: client, transport, TLS provider. */
    String describe();

    @Override
    void close();
}
