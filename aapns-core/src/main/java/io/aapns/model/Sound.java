package io.aapns.model;

import java.util.Objects;

/**
 * The sound a notification plays: a sound file of the app bundle by name ({@code "default"} for the system sound), or a
 * critical alert sound with its volume, which plays even when the device is muted (needs Apple's critical alerts
 * entitlement).
 */
public final class Sound {

    private static final Sound DEFAULT = new Sound("default", false, 0);

    private final String name;
    private final boolean critical;
    private final double volume;

    private Sound(String name, boolean critical, double volume) {
        this.name = name;
        this.critical = critical;
        this.volume = volume;
    }

    /** Returns the system's default sound: {@code "sound":"default"}. */
    public static Sound defaultSound() {
        return DEFAULT;
    }

    /**
     * Returns a sound file of the app's bundle or Library/Sounds by name, sent as {@code "sound":"<name>"}.
     *
     * @throws IllegalArgumentException if the name is null or empty
     */
    public static Sound named(String name) {
        checkName(name);
        return "default".equals(name) ? DEFAULT : new Sound(name, false, 0);
    }

    /**
     * Returns a critical alert sound, sent as {@code "sound":{"critical":1,"name":"<name>","volume":<volume>}}.
     *
     * @param name the sound file, or {@code "default"}
     * @param volume from 0.0 (silent) to 1.0 (full volume)
     * @throws IllegalArgumentException if the name is empty or the volume is outside 0..1
     */
    public static Sound critical(String name, double volume) {
        checkName(name);
        if (!(volume >= 0.0 && volume <= 1.0)) {
            throw new IllegalArgumentException("a critical sound's volume must be between 0.0 and 1.0, not " + volume);
        }
        return new Sound(name, true, volume);
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(
                    "a sound needs the name of a sound file, or \"default\" for the system sound");
        }
    }

    /** Returns the sound file's name, or {@code "default"}. */
    public String name() {
        return name;
    }

    /** Returns true for a critical alert sound. */
    public boolean isCritical() {
        return critical;
    }

    /** Returns the volume of a critical sound, 0.0 to 1.0; 0 for other sounds. */
    public double volume() {
        return volume;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sound other
                && name.equals(other.name)
                && critical == other.critical
                && Double.compare(volume, other.volume) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, critical, volume);
    }

    @Override
    public String toString() {
        return critical ? "Sound{critical, name=" + name + ", volume=" + volume + "}" : "Sound{" + name + "}";
    }
}
