package io.aapns.channels;

/** The four channel management operations, as errors and metrics name them. */
public enum ChannelOperation {
    /** {@code POST /1/apps/<bundle id>/channels}: not idempotent, never re-sent after a lost answer. */
    CREATE("create"),
    /** {@code GET /1/apps/<bundle id>/channels} with {@code apns-channel-id}. */
    READ("read"),
    /** {@code GET /1/apps/<bundle id>/all-channels}. */
    LIST("list"),
    /** {@code DELETE /1/apps/<bundle id>/channels} with {@code apns-channel-id}. */
    DELETE("delete");

    private final String tag;

    ChannelOperation(String tag) {
        this.tag = tag;
    }

    /** A lower-case name for logs and metric tags: create, read, list, delete. */
    public String tag() {
        return tag;
    }
}
