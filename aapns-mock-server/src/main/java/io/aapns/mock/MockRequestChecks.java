package io.aapns.mock;

import io.netty.handler.codec.http2.Http2Headers;

/**
 * What one mock connection answers a request before faults: which API it is for (device push, broadcast, channel
 * management), its request line, its credentials (the connection's provider tokens) and APNs' rules for it, as a
 * {@link Verdict}. Channel calls are checked without effect first and committed only when their answer is the one given
 * ({@link #channelCall}). Runs on the connection's event loop.
 */
final class MockRequestChecks {

    private final MockApnsServer server;
    private final MockConnection connection;
    private final boolean tokenAuth;
    private final ProviderTokens.ConnectionTokens tokens;
    /** Raises the connection's stream limit once its first valid token is seen. */
    private final Runnable onFirstValidToken;

    MockRequestChecks(MockApnsServer server, MockConnection connection, boolean tokenAuth, Runnable onFirstValidToken) {
        this.server = server;
        this.connection = connection;
        this.tokenAuth = tokenAuth;
        this.tokens = server.providerTokens().new ConnectionTokens();
        this.onFirstValidToken = onFirstValidToken;
    }

    /** Whether a valid provider token has been seen on this connection. */
    boolean tokenValidated() {
        return tokens.validated();
    }

    /** Whether the request is a push to a device token (not a broadcast, not a channel management call). */
    boolean isDevicePath(Http2Headers headers) {
        return !connection.isManagement()
                && !BroadcastRules.isBroadcast(
                        headers.path() == null ? null : headers.path().toString());
    }

    Verdict validate(Http2Headers headers, byte[] payload) {
        String path = headers.path() == null ? null : headers.path().toString();
        if (connection.isManagement()) {
            return validateChannelCall(headers, path, payload);
        }
        if (BroadcastRules.isBroadcast(path)) {
            return validateBroadcast(headers, path, payload);
        }
        Verdict verdict = ApnsRules.checkRequestLine(headers.method(), path, headers);
        if (verdict != null) {
            return verdict;
        }
        boolean tokenRequired = tokenRequired();
        verdict = authenticate(headers, tokenRequired);
        if (verdict != null) {
            return verdict;
        }
        String certificateTopic = connection.clientCertificateTopic().orElse(null);
        verdict =
                ApnsRules.checkNotification(headers, certificateTopic, tokenRequired, payload, server.validatesJson());
        if (verdict != null) {
            return verdict;
        }
        DeviceTokens.State state = server.deviceTokens().get(ApnsRules.deviceToken(path));
        verdict = ApnsRules.checkDeviceToken(
                state, headers.get("apns-topic"), certificateTopic, headers.get("apns-push-type"));
        return verdict != null ? verdict : Verdict.OK;
    }

    Verdict validateBroadcast(Http2Headers headers, String path, byte[] payload) {
        Verdict verdict = BroadcastRules.checkRequestLine(headers.method(), path, headers);
        boolean tokenRequired = tokenRequired();
        if (verdict == null) {
            verdict = authenticate(headers, tokenRequired);
        }
        if (verdict != null) {
            return verdict;
        }
        return BroadcastRules.check(
                headers,
                BroadcastRules.bundleId(path),
                connection.clientCertificateTopic().orElse(null),
                tokenRequired,
                payload,
                server.validatesJson(),
                server.channelStore());
    }

    Verdict validateChannelCall(Http2Headers headers, String path, byte[] payload) {
        Verdict verdict = ChannelRules.checkRequestLine(headers.method(), path, headers);
        boolean tokenRequired = tokenRequired();
        if (verdict == null) {
            verdict = authenticate(headers, tokenRequired);
        }
        if (verdict != null) {
            return verdict;
        }
        return channelCall(headers, payload, false);
    }

    /** The channel operation once the request line and credentials passed; {@code commit}: make or delete it. */
    Verdict channelCall(Http2Headers headers, byte[] payload, boolean commit) {
        return ChannelRules.check(
                headers.method(),
                headers.path() == null ? null : headers.path().toString(),
                headers,
                connection.clientCertificateTopic().orElse(null),
                tokenRequired(),
                payload,
                server.channelStore(),
                commit);
    }

    boolean tokenRequired() {
        return connection.clientCertificateTopic().isEmpty()
                && server.providerTokens().enabled();
    }

    /** The provider token, when one is required; raises the stream limit after the first valid one. */
    Verdict authenticate(Http2Headers headers, boolean tokenRequired) {
        if (!tokenRequired) {
            return null;
        }
        boolean wasValidated = tokens.validated();
        Verdict verdict = tokens.check(headers.get("authorization"), server.clock());
        if (verdict != null) {
            return verdict;
        }
        if (!wasValidated && tokenAuth && !server.holdsInitialStreamLimit()) {
            onFirstValidToken.run();
        }
        return null;
    }
}
