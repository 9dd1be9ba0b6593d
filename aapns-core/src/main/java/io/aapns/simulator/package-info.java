/**
 * Pushes to the iOS Simulator: {@link io.aapns.simulator.SimulatorTarget} writes a notification's payload to a file and
 * hands it to {@code xcrun simctl push}, for trying an app's notification handling without APNs or a device.
 *
 * <p>Depends on {@code io.aapns.model} (what is sent) and {@code io.aapns.errors} (the exception base) only.
 */
package io.aapns.simulator;
