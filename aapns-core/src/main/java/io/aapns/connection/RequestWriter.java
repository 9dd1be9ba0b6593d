package io.aapns.connection;

import io.aapns.errors.ApnsException;
import io.aapns.internal.ApnsHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Writes one request as HTTP/2 frames: builds its header block (pseudo-headers, the request's headers, the connection's
 * provider token), checks its size and hands out its payload as a buffer. It holds what stays the same across a
 * connection's requests: the authority, the provider-token source and the token last converted to bytes. Event loop
 * only.
 */
final class RequestWriter {

    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString PATH = Http2Headers.PseudoHeaderName.PATH.value();
    /** What RFC 7541 counts per header on top of its name and value. */
    private static final int HEADER_ENTRY_OVERHEAD = 32;

    /** Keeps {@link #isPerRequest} headers out of the HPACK table (sent as never-indexed literals). */
    static final Http2HeadersEncoder.SensitivityDetector PER_REQUEST_VALUES = (name, value) -> isPerRequest(name);

    private final AsciiString authority;
    /** What the pseudo-headers other than :path add to the header list size (RFC 7541 counting). */
    private final long pseudoHeadersSize;
    /** This connection's provider tokens, or null for certificate authentication. */
    private final Authorization authorization;

    private CharSequence lastToken;
    private AsciiString lastTokenAscii;

    RequestWriter(AsciiString authority, Authorization authorization) {
        this.authority = authority;
        this.pseudoHeadersSize = ":method".length()
                + ":scheme".length()
                + HTTPS.length()
                + ":authority".length()
                + authority.length()
                + ":path".length()
                + 4L * HEADER_ENTRY_OVERHEAD;
        this.authorization = authorization;
    }

    /**
     * Headers whose values are unique to a request: never worth an HPACK table entry. Indexed, each new path and
     * apns-id would push the stable entries (topic, push type, the provider token of ~200 bytes) out of the 4 KB table
     * after about twenty requests.
     */
    static boolean isPerRequest(CharSequence name) {
        return PATH.contentEquals(name)
                || ApnsHeaders.APNS_ID.contentEquals(name)
                || ApnsHeaders.APNS_REQUEST_ID.contentEquals(name)
                || ApnsHeaders.APNS_EXPIRATION.contentEquals(name)
                || ApnsHeaders.APNS_COLLAPSE_ID.contentEquals(name);
    }

    /** The connection's provider tokens, or null for certificate authentication. */
    Authorization authorization() {
        return authorization;
    }

    /**
     * The header block of {@code e}'s request: a read-only block over the request's own arrays (Netty's
     * DefaultHttp2Headers would hash every name into a table only for the HPACK encoder to iterate over it). The
     * connection's token replaces an authorization header the request carries; the token sent is remembered on the
     * exchange.
     */
    Http2Headers headers(Exchange e) {
        Request r = e.request;
        AsciiString token = null;
        if (authorization != null) {
            CharSequence value = authorization.headerValue();
            if (value != null) {
                token = tokenAscii(value);
                e.authorization = value;
            }
        }
        int n = r.headerCount;
        AsciiString[] others = new AsciiString[2 * n + (token != null ? 2 : 0)];
        int at = 0;
        long size = pseudoHeadersSize + r.method.length() + r.pathAscii.length();
        for (int i = 0; i < n; i++) {
            if (token != null && ApnsHeaders.AUTHORIZATION.contentEquals(r.headerNames[i])) {
                continue;
            }
            others[at++] = r.headerNames[i];
            others[at++] = r.headerValues[i];
            size += r.headerNames[i].length() + r.headerValues[i].length() + HEADER_ENTRY_OVERHEAD;
        }
        if (token != null) {
            others[at++] = ApnsHeaders.AUTHORIZATION;
            others[at++] = token;
            size += ApnsHeaders.AUTHORIZATION.length() + token.length() + HEADER_ENTRY_OVERHEAD;
        }
        e.headerListSize = size;
        if (at < others.length) {
            others = Arrays.copyOf(others, at);
        }
        return ReadOnlyHttp2Headers.clientHeaders(false, r.method, r.pathAscii, HTTPS, authority, others);
    }

    /**
     * Checks the header block {@link #headers} built for {@code e} against the server's SETTINGS_MAX_HEADER_LIST_SIZE
     * before anything is written, so that a request that cannot be sent fails as a bad request instead of as a lost
     * stream (which a pool would send again).
     *
     * @throws ApnsException saying how large the block is and what the server allows
     */
    static void checkSize(Exchange e, long maxHeaderListSize) {
        long size = e.headerListSize;
        if (size > maxHeaderListSize) {
            throw new ApnsException("the request's header block is " + size + " bytes, over the server's limit of "
                    + maxHeaderListSize + " (SETTINGS_MAX_HEADER_LIST_SIZE): shorten the device token, topic or "
                    + "custom headers; it was not sent");
        }
    }

    /** The request's payload as a buffer to write: the exchange's own reference, or a pooled copy of its bytes. */
    static ByteBuf payload(ByteBufAllocator alloc, Exchange e) {
        ByteBuf data = e.payload;
        e.payload = null;
        if (data == null) {
            Request r = e.request;
            data = alloc.ioBuffer(r.payloadLength()).writeBytes(r.payloadBytes);
        }
        return data;
    }

    /** The provider token as bytes, converted once per token rather than once per request. */
    private AsciiString tokenAscii(CharSequence value) {
        if (value instanceof AsciiString a) {
            return a;
        }
        if (value != lastToken) {
            lastToken = value;
            lastTokenAscii = new AsciiString(value);
        }
        return lastTokenAscii;
    }
}
