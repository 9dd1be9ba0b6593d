package io.aapns.mock;

/**
 * A broadcast channel the mock server keeps, as its channel management API created it (or a test with
 * {@link MockApnsServer#createChannel}).
 *
 * @param id the base64 id APNs-style, random, never issued twice by one server
 * @param bundleId the app it belongs to
 * @param storagePolicy {@code message-storage-policy}: 0 No Message Stored, 1 Most Recent Message Stored
 */
public record MockChannel(String id, String bundleId, int storagePolicy) {

    /** The only push type a channel has: {@code LiveActivity}. */
    public String pushType() {
        return "LiveActivity";
    }
}
