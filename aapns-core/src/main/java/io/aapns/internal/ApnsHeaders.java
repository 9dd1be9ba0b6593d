package io.aapns.internal;

import io.netty.util.AsciiString;

/**
 * The names of the HTTP/2 headers APNs reads and writes, pre-built as {@link AsciiString}s so that the engine encodes
 * them without conversion. Pass them to {@link Request.Builder#header}.
 */
public final class ApnsHeaders {
    /** {@code authorization}: {@code bearer <JWT>} with token authentication. */
    public static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
    /** {@code apns-id}: the notification's canonical UUID; APNs returns it in the answer. */
    public static final AsciiString APNS_ID = AsciiString.cached("apns-id");
    /** {@code apns-unique-id}: returned by the development environment for Apple's delivery log. */
    public static final AsciiString APNS_UNIQUE_ID = AsciiString.cached("apns-unique-id");
    /** {@code apns-push-type}: alert, background, voip, liveactivity, ... */
    public static final AsciiString APNS_PUSH_TYPE = AsciiString.cached("apns-push-type");
    /** {@code apns-expiration}: epoch seconds; 0 means deliver once and do not store. */
    public static final AsciiString APNS_EXPIRATION = AsciiString.cached("apns-expiration");
    /** {@code apns-priority}: 10, 5 or 1. */
    public static final AsciiString APNS_PRIORITY = AsciiString.cached("apns-priority");
    /** {@code apns-topic}: the bundle id, with a suffix for some push types. */
    public static final AsciiString APNS_TOPIC = AsciiString.cached("apns-topic");
    /** {@code apns-collapse-id}: at most 64 bytes. */
    public static final AsciiString APNS_COLLAPSE_ID = AsciiString.cached("apns-collapse-id");
    /** {@code apns-channel-id}: the broadcast channel of a Live Activity broadcast push. */
    public static final AsciiString APNS_CHANNEL_ID = AsciiString.cached("apns-channel-id");
    /**
     * {@code apns-request-id}: the caller's UUID for a broadcast or channel management request, echoed in the answer
     * (APNs makes one when the request has none).
     */
    public static final AsciiString APNS_REQUEST_ID = AsciiString.cached("apns-request-id");
    /** {@code content-type}. */
    public static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");

    private ApnsHeaders() {}
}
