package io.aapns.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
  * The provider token of one connection: minted at the connection's first request, reused
  * until it is {@linkplain #lifetime() a lifetime} old (50 minutes by default), then renewed.
  * One holder per connection, because APNs times a token from the connection that first used
  * it: a token shared by connections opened at different times trips either the 60-minute
  * limit (403 ExpiredProviderToken) or the 20-minute one (429 TooManyProviderTokenUpdates).
  *
  * <p>After a 403 ExpiredProviderToken, call {@link #invalidate(ProviderToken)} with the token
  * that was rejected, then {@link #current()} for a fresh one: however many in-flight
  * requests report the same expired token, only one new token is minted.
  *
  * <p>Thread-safe; every method is cheap except the rare mint.
  */
public final class ProviderTokenHolder {

    /** The default lifetime of a token before it is renewed: 50 minutes. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(50);

    /** The shortest lifetime allowed: APNs refuses renewals more often than every 20 minutes. */
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(20);

    /** The longest lifetime allowed: APNs refuses tokens older than 60 minutes. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(60);

    private final JwtSigner signer;
    private final Duration lifetime;
    private final Clock clock;
    private ProviderToken token;

    private ProviderTokenHolder(JwtSigner signer, Duration lifetime, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.lifetime = checkLifetime(lifetime);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns a holder with the default lifetime (50 minutes) and the system clock. */
    public static ProviderTokenHolder create(JwtSigner signer) {
        return new ProviderTokenHolder(signer, DEFAULT_LIFETIME, Clock.systemUTC());
    }

    /**
      * Returns a holder.
      *
      * @param signer mints the tokens; may be shared by the holders of all connections
      * @param lifetime how long a token is used before it is renewed, 20 to 60 minutes
      * @param clock gives the tokens' issue times and ages
      * @throws IllegalArgumentException if the lifetime is outside 20..60 minutes
      */
    public static ProviderTokenHolder create(JwtSigner signer, Duration lifetime, Clock clock) {
        return new ProviderTokenHolder(signer, lifetime, clock);
    }

    /**
      * Checks a token lifetime, for configuration that wants to fail at start-up.
      *
      * @return the lifetime
      * @throws IllegalArgumentException if it is null or outside 20..60 minutes
      */
    public static Duration checkLifetime(Duration lifetime) {
        if (lifetime == null || lifetime.compareTo(MIN_LIFETIME) < 0
                || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("the provider token lifetime must be between 20 and 60"
                    + " minutes (APNs refuses renewals more often than every 20 minutes and tokens older"
                    + " than 60), not " + lifetime);
        }
        return lifetime;
    }

    /**
      * Returns the token to send now: the current one, or a new one if there is none yet, it
      * was invalidated, or it is a lifetime old.
      */
    public synchronized ProviderToken current() {
        ProviderToken t = token;
        if (t == null) {
            t = signer.sign(clock.instant());
            token = t;
        } else {
            Instant now = clock.instant();
            if (t.ageAt(now).compareTo(lifetime) >= 0) {
                t = signer.sign(now);
                token = t;
            }
        }
        return t;
    }

    /**
      * Forgets the token if it is the given one (APNs answered ExpiredProviderToken to a request
      * that carried it), so that the next {@link #current()} mints a new one. Does nothing if a
      * newer token has already replaced it.
      *
      * @return true if the token was forgotten
      */
    public synchronized boolean invalidate(ProviderToken rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
            return true;
        }
        return false;
    }

    /** Forgets the current token unconditionally; the next {@link #current()} mints a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    /** Returns the current token without minting one, or null if there is none. */
    public synchronized ProviderToken peek() {
        return token;
    }

    /** Returns how long a token is used before it is renewed. */
    public Duration lifetime() {
        return lifetime;
    }

    /** Returns the signer that mints the tokens. */
    public JwtSigner signer() {
        return signer;
    }
}
