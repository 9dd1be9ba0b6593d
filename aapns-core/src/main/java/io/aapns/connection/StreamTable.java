package io.aapns.connection;

import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FrameWire}'s streams by id: the exchanges on open streams, and the streams whose exchange has ended while the
 * stream is still open on the wire (a request that timed out or was cancelled until its RST_STREAM goes out, or one
 * answered before its DATA was all sent). Client stream ids are odd and increasing; {@link #lastOpened} tells an idle
 * stream (never opened: a protocol error to hear of) from a closed one (ignored). Event loop only.
 */
final class StreamTable {
    private final IntObjectHashMap<Exchange> open = new IntObjectHashMap<>();
    private final IntObjectHashMap<Exchange> ending = new IntObjectHashMap<>();
    private int lastOpened;

    void put(Exchange e) {
        open.put(e.streamId, e);
        lastOpened = e.streamId;
    }

    /** The exchange on an open stream, or null. */
    Exchange get(int streamId) {
        return open.get(streamId);
    }

    /** {@code e} ended: its stream stays known as ending while it is not closed on the wire. */
    void detach(Exchange e) {
        if (open.remove(e.streamId) == e && !e.closed()) {
            ending.put(e.streamId, e);
        }
    }

    /** Whether {@code streamId} is open on the wire, with or without its exchange. */
    boolean isOpen(int streamId) {
        return open.containsKey(streamId) || ending.containsKey(streamId);
    }

    /** The exchange whose stream ended while it is open on the wire, or null. */
    Exchange ending(int streamId) {
        return ending.get(streamId);
    }

    /** {@code streamId} closed on the wire. */
    void closed(int streamId) {
        ending.remove(streamId);
    }

    /** Streams opened and not closed, with or without their exchange. */
    int size() {
        return open.size() + ending.size();
    }

    /** Whether {@code streamId} was never opened (or is not a client stream). */
    boolean idle(int streamId) {
        return streamId > lastOpened || (streamId & 1) == 0;
    }

    /** Forgets the ending streams above {@code lastStreamId}: after a GOAWAY they never existed for the server. */
    void forgetAbove(int lastStreamId) {
        ending.keySet().removeIf(id -> id > lastStreamId);
    }

    List<Exchange> exchanges() {
        return new ArrayList<>(open.values());
    }

    /** Open streams' exchanges and the ending ones, for window changes. */
    Iterable<Exchange> all() {
        List<Exchange> all = new ArrayList<>(open.values());
        all.addAll(ending.values());
        return all;
    }
}
