package io.aapns.model;

/** What a Live Activity push does: sent as {@code aps.event}. */
public enum LiveActivityEvent {

    /** Starts a Live Activity (push-to-start, iOS 17.2+): needs attributes-type and attributes. */
    START("start"),

    /** Updates a running Live Activity with a new content-state. */
    UPDATE("update"),

    /** Ends a Live Activity, optionally with a final content-state and a dismissal date. */
    END("end");

    private final String value;

    LiveActivityEvent(String value) {
        this.value = value;
    }

    /** Returns the value as Apple spells it in the payload, such as {@code "update"}. */
    public String value() {
        return value;
    }
}
