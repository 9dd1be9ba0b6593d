package io.aapns.api;

import io.aapns.auth.ProviderToken;
import io.aapns.auth.ProviderTokenHolder;
import io.aapns.connection.Authorization;

/** One connection's provider tokens: minted at its first request, renewed after their lifetime. */
final class TokenAuthorization implements Authorization {

    private final ProviderTokenHolder tokens;
    private ProviderToken last;

    TokenAuthorization(ProviderTokenHolder tokens) {
        this.tokens = tokens;
    }

    @Override
    public CharSequence headerValue() {
        ProviderToken token = tokens.current();
        last = token;
        return token.authorizationHeader();
    }

    @Override
    public void expired(CharSequence headerValue) {
        ProviderToken token = last;
        // Only the token in use is dropped: answers to requests that carried an older one arrive
        // after it was already replaced, and must not throw away its fresh successor.
        if (token != null && token.authorizationHeader().contentEquals(headerValue)) {
            tokens.invalidate(token);
        }
    }
}
