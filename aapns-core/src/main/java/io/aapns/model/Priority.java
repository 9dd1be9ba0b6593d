package io.aapns.model;

/** The {@code apns-priority} header: how urgently APNs delivers the notification. */
public enum Priority {

    /** 10: deliver immediately (the default APNs applies when the header is absent). */
    IMMEDIATE(10),

    /** 5: deliver with regard to the device's power; required for background pushes. */
    CONSIDER_POWER(5),

    /** 1: prioritise the device's power over everything; may be delayed a long time. */
    PRIORITIZE_POWER(1);

    private final int value;
    private final String headerValue;

    Priority(int value) {
        this.value = value;
        this.headerValue = Integer.toString(value);
    }

    /** Returns the numeric value: 10, 5 or 1. */
    public int value() {
        return value;
    }

    /** Returns the header value: {@code "10"}, {@code "5"} or {@code "1"}. */
    public String headerValue() {
        return headerValue;
    }

    /**
     * Returns the priority with the given numeric value.
     *
     * @throws IllegalArgumentException unless the value is 10, 5 or 1
     */
    public static Priority of(int value) {
        for (Priority priority : values()) {
            if (priority.value == value) {
                return priority;
            }
        }
        throw new IllegalArgumentException(
                "apns-priority must be 10 (IMMEDIATE), 5 (CONSIDER_POWER) or 1 (PRIORITIZE_POWER), not " + value);
    }
}
