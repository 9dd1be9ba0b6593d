package io.aapns.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The provider token of one connection: minted at the connection's first request, reused until it is
 * {@linkplain #renewalAge() old enough} (50 minutes by default), then renewed. One holder per connection, because APNs
 * times a token from the connection that first used it: a token shared by connections opened at different times trips
 * either the 60-minute limit (403 ExpiredProviderToken) or the 20-minute one (429 TooManyProviderTokenUpdates).
 *
 * <p>Ages are measured from the {@code iat} written into the token (whole seconds, so up to a second before the real
 * minting) on the injected {@link Clock}, with a margin at both ends: a token is renewed no sooner than
 * {@link #MIN_RENEWAL_AGE} (20 minutes and 5 seconds) after the previous one's {@code iat}, so never within 20 minutes
 * of APNs first seeing the previous one, and no later than {@link #MAX_RENEWAL_AGE} (59 minutes), so never used past
 * the hour. A configured lifetime outside those two is clamped to them.
 *
 * <p>After a 403 ExpiredProviderToken, call {@link #invalidate(ProviderToken)} with the token that was rejected, then
 * {@link #current()} for a fresh one: however many in-flight requests report the same expired token, only one new token
 * is minted. It is minted at once even when the rejected token is younger than 20 minutes by this holder's clock (the
 * clocks disagree, and the rejected token cannot be used anyway), with an {@code iat} after the rejected one's: a
 * second after it if it was minted within the same second.
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

    /**
     * The earliest a token is renewed on schedule, measured from its {@code iat}: 20 minutes and 5 seconds. The margin
     * covers the {@code iat}'s truncation to whole seconds and the time between minting and APNs first seeing the
     * token, from which APNs times its 20 minutes.
     */
    public static final Duration MIN_RENEWAL_AGE = MIN_LIFETIME.plusSeconds(5);

    /**
     * The latest a token is renewed, measured from its {@code iat}: 59 minutes, a minute short of the age at which APNs
     * answers ExpiredProviderToken, for clock skew and requests that take a while to arrive.
     */
    public static final Duration MAX_RENEWAL_AGE = MAX_LIFETIME.minusMinutes(1);

    private final JwtSigner signer;
    private final Duration lifetime;
    private final Duration renewalAge;
    private final Clock clock;
    /** The token in use, or null before the first one and after it was reported expired. */
    private ProviderToken token;
    /** The last token minted, kept after it expired so that its successor's iat differs. */
    private ProviderToken lastMinted;

    private ProviderTokenHolder(JwtSigner signer, Duration lifetime, Clock clock) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.lifetime = checkLifetime(lifetime);
        this.renewalAge = clamp(lifetime);
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
     * @param lifetime how long a token is used before it is renewed, 20 to 60 minutes (kept within
     *     {@link #MIN_RENEWAL_AGE} and {@link #MAX_RENEWAL_AGE}, see {@link #renewalAge()})
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
        if (lifetime == null || lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("the provider token lifetime must be between 20 and 60"
                    + " minutes (APNs refuses renewals more often than every 20 minutes and tokens older"
                    + " than 60), not " + lifetime);
        }
        return lifetime;
    }

    private static Duration clamp(Duration lifetime) {
        if (lifetime.compareTo(MIN_RENEWAL_AGE) < 0) {
            return MIN_RENEWAL_AGE;
        }
        return lifetime.compareTo(MAX_RENEWAL_AGE) > 0 ? MAX_RENEWAL_AGE : lifetime;
    }

    /**
     * Returns the token to send now: the current one, or a new one if there is none yet, it was reported expired, or it
     * is {@linkplain #renewalAge() old enough} by the clock. A clock that went back keeps the current token (its age is
     * negative).
     */
    public synchronized ProviderToken current() {
        ProviderToken t = token;
        Instant now = clock.instant();
        if (t == null || t.ageAt(now).compareTo(renewalAge) >= 0) {
            t = mint(now);
        }
        return t;
    }

    /**
     * Mints a token dated now or, if the last one minted is dated this second or later (it was reported expired within
     * the second it was minted, or the clock went back), a second after that one: the {@code iat}s of one connection's
     * tokens only go up, so APNs never sees a new token with an old token's {@code iat}.
     */
    private ProviderToken mint(Instant now) {
        Instant issuedAt = now;
        ProviderToken last = lastMinted;
        if (last != null && now.getEpochSecond() <= last.issuedAt().getEpochSecond()) {
            issuedAt = last.issuedAt().plusSeconds(1);
        }
        ProviderToken t = signer.sign(issuedAt);
        token = t;
        lastMinted = t;
        return t;
    }

    /**
     * Forgets the token if it is the given one (APNs answered ExpiredProviderToken to a request that carried it), so
     * that the next {@link #current()} mints a new one at once, with a later {@code iat}. Does nothing if a newer token
     * has already replaced it.
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

    /**
     * Forgets the current token unconditionally; the next {@link #current()} mints a new one at once, with a later
     * {@code iat}. Meant for a token APNs refused: a new token sooner than 20 minutes after the previous one is
     * answered 429 TooManyProviderTokenUpdates.
     */
    public synchronized void invalidate() {
        token = null;
    }

    /**
     * Tells whether an {@code authorization} header value carries the token in use (the one {@link #current()} returned
     * last): false once that token was renewed or reported expired, and for null. Does not mint.
     */
    public synchronized boolean isCurrent(CharSequence authorizationHeader) {
        ProviderToken t = token;
        return t != null
                && authorizationHeader != null
                && t.authorizationHeader().contentEquals(authorizationHeader);
    }

    /** Returns the current token without minting one, or null if there is none. */
    public synchronized ProviderToken peek() {
        return token;
    }

    /** Returns the configured lifetime of a token; see {@link #renewalAge()} for the one applied. */
    public Duration lifetime() {
        return lifetime;
    }

    /**
     * Returns the age, measured from its {@code iat}, at which a token is renewed: the {@linkplain #lifetime()
     * lifetime} kept within {@link #MIN_RENEWAL_AGE} and {@link #MAX_RENEWAL_AGE}.
     */
    public Duration renewalAge() {
        return renewalAge;
    }

    /** Returns the signer that mints the tokens. */
    public JwtSigner signer() {
        return signer;
    }
}
