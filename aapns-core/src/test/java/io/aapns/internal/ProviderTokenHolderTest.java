package io.aapns.internal;

import static io.aapns.auth.TestKeys.KEY_ID;
import static io.aapns.auth.TestKeys.TEAM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aapns.auth.SigningKey;
import io.aapns.auth.TestKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ProviderTokenHolderTest {

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Instant START = Instant.ofEpochSecond(1_700_000_000L);

    private final JwtSigner signer = JwtSigner.of(
            SigningKey.fromP8(TestKeys.pkcs8Pem(TestKeys.ec("secp256r1").getPrivate()), KEY_ID, TEAM_ID));
    private final MutableClock clock = new MutableClock(START);

    @Test
    void mintedAtFirstUseNotAtCreation() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        clock.advance(Duration.ofMinutes(7));

        assertThat(holder.peek()).isNull();
        assertThat(holder.current().issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(7)));
        assertThat(holder.peek()).isNotNull();
    }

    @Test
    void reusedUntilTheLifetimeThenRenewed() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken first = holder.current();

        clock.advance(Duration.ofMinutes(50).minusSeconds(1));
        assertThat(holder.current()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        ProviderToken second = holder.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(50)));
        assertThat(holder.current()).isSameAs(second);
    }

    @Test
    void theDefaultLifetimeIsFiftyMinutes() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer);

        assertThat(holder.lifetime()).isEqualTo(Duration.ofMinutes(50));
        assertThat(holder.current().issuedAt())
                .isCloseTo(
                        Instant.now(),
                        org.assertj.core.api.Assertions.within(
                                Duration.ofSeconds(5).toMillis(), java.time.temporal.ChronoUnit.MILLIS));
    }

    @Test
    void aConfiguredLifetimeIsHonoured() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(20), clock);
        ProviderToken first = holder.current();

        clock.advance(Duration.ofMinutes(20));
        assertThat(holder.current()).isSameAs(first);
        clock.advance(Duration.ofSeconds(5));
        assertThat(holder.current()).isNotEqualTo(first);
    }

    @Test
    void aTwentyMinuteLifetimeNeverRenewsSoonerThanTwentyMinutesAfterTheMintPlusAMargin() {
        // minted at x.999: the iat says x, so an age measured from the iat is 999 ms ahead of the
        // token's real age, and APNs times its 20 minutes from when it first saw the token
        clock.advance(Duration.ofMillis(999));
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(20), clock);
        ProviderToken first = holder.current();
        assertThat(first.issuedAt()).isEqualTo(START);

        clock.advance(Duration.ofMinutes(20).minusMillis(500));
        assertThat(holder.current()).as("19:59.5 after the mint").isSameAs(first);
        clock.advance(Duration.ofMillis(500));
        assertThat(holder.current()).as("20:00 after the mint").isSameAs(first);

        Instant margin = START.plus(ProviderTokenHolder.MIN_RENEWAL_AGE);
        clock.advance(Duration.between(clock.instant(), margin).minusMillis(1));
        assertThat(holder.current()).as("1 ms before iat + 20 min + margin").isSameAs(first);
        clock.advance(Duration.ofMillis(1));
        ProviderToken second = holder.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.issuedAt()).isEqualTo(margin);
        assertThat(Duration.between(first.issuedAt(), second.issuedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMinutes(20).plusSeconds(5));
    }

    @Test
    void aSixtyMinuteLifetimeIsClampedBelowTheLimit() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(60), clock);
        ProviderToken first = holder.current();
        assertThat(holder.renewalAge()).isEqualTo(Duration.ofMinutes(59));

        clock.advance(Duration.ofMinutes(59).minusMillis(1));
        assertThat(holder.current()).isSameAs(first);
        clock.advance(Duration.ofMillis(1));
        ProviderToken second = holder.current();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(59)));
    }

    @Test
    void lifetimesInsideTheMarginsAreKeptAsConfigured() {
        assertThat(ProviderTokenHolder.create(signer, Duration.ofMinutes(20), clock)
                        .renewalAge())
                .isEqualTo(ProviderTokenHolder.MIN_RENEWAL_AGE);
        assertThat(ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock)
                        .renewalAge())
                .isEqualTo(Duration.ofMinutes(50));
        assertThat(ProviderTokenHolder.create(signer, Duration.ofMinutes(59).plusSeconds(30), clock)
                        .renewalAge())
                .isEqualTo(ProviderTokenHolder.MAX_RENEWAL_AGE);
        assertThat(ProviderTokenHolder.MIN_RENEWAL_AGE)
                .isEqualTo(Duration.ofMinutes(20).plusSeconds(5));
        assertThat(ProviderTokenHolder.MAX_RENEWAL_AGE).isEqualTo(Duration.ofMinutes(59));
    }

    @Test
    void overThreeHoursOfVirtualTimeEveryRenewalKeepsToBothLimits() {
        for (Duration lifetime :
                new Duration[] {Duration.ofMinutes(20), Duration.ofMinutes(50), Duration.ofMinutes(60)}) {
            MutableClock virtual = new MutableClock(START.plusMillis(999));
            ProviderTokenHolder holder = ProviderTokenHolder.create(signer, lifetime, virtual);
            ProviderToken inUse = holder.current();
            Instant mintedAt = virtual.instant();
            int renewals = 0;
            for (int step = 0; step < 3 * 60 * 60 * 4; step++) { // 3 hours in 250 ms steps
                virtual.advance(Duration.ofMillis(250));
                ProviderToken t = holder.current();
                if (!t.equals(inUse)) {
                    renewals++;
                    assertThat(Duration.between(mintedAt, virtual.instant()))
                            .as("time since the previous mint, lifetime " + lifetime)
                            .isGreaterThanOrEqualTo(Duration.ofMinutes(20).plusSeconds(4));
                    assertThat(Duration.between(inUse.issuedAt(), t.issuedAt()))
                            .as("iat step, lifetime " + lifetime)
                            .isGreaterThanOrEqualTo(Duration.ofMinutes(20).plusSeconds(5));
                    inUse = t;
                    mintedAt = virtual.instant();
                }
                assertThat(inUse.ageAt(virtual.instant()))
                        .as("age of the token in use, lifetime " + lifetime)
                        .isLessThanOrEqualTo(Duration.ofMinutes(59));
            }
            assertThat(renewals).as("renewals in 3 hours, lifetime " + lifetime).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void lifetimeMustBeBetweenTwentyAndSixtyMinutes() {
        assertThat(ProviderTokenHolder.checkLifetime(Duration.ofMinutes(20))).isEqualTo(Duration.ofMinutes(20));
        assertThat(ProviderTokenHolder.checkLifetime(Duration.ofMinutes(60))).isEqualTo(Duration.ofMinutes(60));
        assertThatThrownBy(() -> ProviderTokenHolder.create(
                        signer, Duration.ofMinutes(20).minusSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 20 and 60");
        assertThatThrownBy(() -> ProviderTokenHolder.create(
                        signer, Duration.ofMinutes(60).plusSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1H1S");
        assertThatThrownBy(() -> ProviderTokenHolder.checkLifetime(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidatingTheRejectedTokenMintsOneNewTokenOnly() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken expired = holder.current();
        clock.advance(Duration.ofSeconds(30));

        // many in-flight requests report the same expired token
        assertThat(holder.invalidate(expired)).isTrue();
        ProviderToken fresh = holder.current();
        assertThat(holder.invalidate(expired)).isFalse();
        assertThat(holder.invalidate(expired)).isFalse();

        assertThat(fresh).isNotEqualTo(expired);
        assertThat(fresh.issuedAt()).isEqualTo(START.plusSeconds(30));
        assertThat(holder.current()).isSameAs(fresh);
    }

    @Test
    void anExpiredTokenIsReplacedAtOnceEvenWhenItIsYoungerThanTwentyMinutes() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken first = holder.current();
        clock.advance(Duration.ofMinutes(3));

        // APNs's clock disagrees with ours: to it the token is over an hour old
        assertThat(holder.invalidate(first)).isTrue();
        ProviderToken second = holder.current();

        assertThat(second).isNotEqualTo(first);
        assertThat(second.issuedAt()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(holder.current()).isSameAs(second);
        // and it is timed from its own iat: kept for the lifetime, renewed after it
        clock.advance(Duration.ofMinutes(50).minusMillis(1));
        assertThat(holder.current()).isSameAs(second);
        clock.advance(Duration.ofMillis(1));
        assertThat(holder.current()).isNotEqualTo(second);
    }

    @Test
    void aTokenReplacedWithinTheSecondOfItsIatGetsALaterIat() {
        clock.advance(Duration.ofMillis(200));
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken first = holder.current();
        clock.advance(Duration.ofMillis(500));

        holder.invalidate(first);
        ProviderToken second = holder.current();
        holder.invalidate();
        ProviderToken third = holder.current();

        assertThat(first.issuedAt()).isEqualTo(START);
        assertThat(second.issuedAt()).isEqualTo(START.plusSeconds(1));
        assertThat(third.issuedAt()).isEqualTo(START.plusSeconds(2));
    }

    @Test
    void aClockThatWentBackKeepsTheTokenAndAReplacementStillGetsALaterIat() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(20), clock);
        ProviderToken first = holder.current();
        clock.advance(Duration.ofMinutes(-30));

        assertThat(holder.current()).isSameAs(first);
        clock.advance(
                Duration.ofMinutes(30).plus(ProviderTokenHolder.MIN_RENEWAL_AGE).minusMillis(1));
        assertThat(holder.current()).isSameAs(first);
        clock.advance(Duration.ofMinutes(-40));
        holder.invalidate(first);
        assertThat(holder.current().issuedAt()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void tellsWhetherAHeaderValueCarriesTheTokenInUse() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(20), clock);
        assertThat(holder.isCurrent("bearer x")).isFalse();
        assertThat(holder.peek()).as("isCurrent does not mint").isNull();

        ProviderToken first = holder.current();
        assertThat(holder.isCurrent(first.authorizationHeader())).isTrue();
        assertThat(holder.isCurrent(new StringBuilder(first.authorizationHeader())))
                .isTrue();
        assertThat(holder.isCurrent(first.jwt())).isFalse();
        assertThat(holder.isCurrent(null)).isFalse();

        holder.invalidate(first);
        assertThat(holder.isCurrent(first.authorizationHeader()))
                .as("reported expired")
                .isFalse();
        ProviderToken second = holder.current();
        assertThat(holder.isCurrent(second.authorizationHeader())).isTrue();

        clock.advance(ProviderTokenHolder.MIN_RENEWAL_AGE.plusSeconds(1));
        ProviderToken third = holder.current();
        assertThat(holder.isCurrent(second.authorizationHeader())).as("renewed").isFalse();
        assertThat(holder.isCurrent(third.authorizationHeader())).isTrue();
    }

    @Test
    void invalidateForcesANewToken() {
        ProviderTokenHolder holder = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken first = holder.current();
        clock.advance(Duration.ofSeconds(1));

        holder.invalidate();

        assertThat(holder.peek()).isNull();
        assertThat(holder.current()).isNotEqualTo(first);
    }

    @Test
    void holdersOfDifferentConnectionsAreTimedApart() {
        ProviderTokenHolder a = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderTokenHolder b = ProviderTokenHolder.create(signer, Duration.ofMinutes(50), clock);
        ProviderToken tokenA = a.current();
        clock.advance(Duration.ofMinutes(30));
        ProviderToken tokenB = b.current();

        clock.advance(Duration.ofMinutes(20));
        assertThat(a.current()).isNotEqualTo(tokenA);
        assertThat(b.current()).isSameAs(tokenB);
    }
}
