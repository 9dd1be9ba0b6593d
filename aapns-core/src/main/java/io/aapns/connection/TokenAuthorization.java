package io.aapns.connection;

import io.aapns.internal.ProviderToken;
import io.aapns.internal.ProviderTokenHolder;

/**
 * One connection's provider tokens: minted at its first request, renewed on the holder's schedule, replaced at once
 * after ExpiredProviderToken. Its state lives in the (thread-safe) holder, so {@link #isCurrent} may be asked from any
 * thread. Made by {@code ApnsClient} and {@code ApnsChannels} from their signing key (the holder is internal: not for
 * direct use); it lives beside {@link Authorization} so that {@code io.aapns.internal} depends on nothing here.
 */
public final class TokenAuthorization implements Authorization {

    private final ProviderTokenHolder tokens;

    /** The tokens of one connection, from {@code tokens}. */
    public TokenAuthorization(ProviderTokenHolder tokens) {
        this.tokens = tokens;
    }

    @Override
    public CharSequence headerValue() {
        return tokens.current().authorizationHeader();
    }

    @Override
    public void expired(CharSequence headerValue) {
        ProviderToken token = tokens.peek();
        // Only the token in use is dropped: answers to requests that carried an older one arrive
        // after it was already replaced, and must not throw away its fresh successor.
        if (token != null && token.authorizationHeader().contentEquals(headerValue)) {
            tokens.invalidate(token);
        }
    }

    @Override
    public boolean isCurrent(CharSequence headerValue) {
        return tokens.isCurrent(headerValue);
    }
}
