package io.aapns.model;

/**
 * How strongly a notification may interrupt the user (iOS 15+), sent as {@code aps.interruption-level} in the payload
 * (not as a header).
 */
public enum InterruptionLevel {

    /** Added to the notification list without lighting the screen or playing a sound. */
    PASSIVE("passive"),

    /** The default: presented immediately, lights the screen, may play a sound. */
    ACTIVE("active"),

    /** Presented immediately, may break through Focus; needs the Time Sensitive capability. */
    TIME_SENSITIVE("time-sensitive"),

    /** Bypasses the mute switch and Focus; needs Apple's critical alerts entitlement. */
    CRITICAL("critical");

    private final String value;

    InterruptionLevel(String value) {
        this.value = value;
    }

    /** Returns the value as Apple spells it in the payload, such as {@code "time-sensitive"}. */
    public String value() {
        return value;
    }
}
