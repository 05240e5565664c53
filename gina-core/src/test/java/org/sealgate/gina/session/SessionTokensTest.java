package org.sealgate.gina.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.sealgate.gina.key.KeyRing;
import org.sealgate.testing.MutableClock;

class SessionTokensTest {
    private final KeyRing keys = KeyRing.generate("s1");
    private final Instant t0 = Instant.parse("2026-11-26T10:00:00Z");
    private final SessionTokens tokens = new SessionTokens(keys, Duration.ofMinutes(30), Clock.fixed(t0, ZoneOffset.UTC));

    @Test
    void tokenIssuedByOneNodeShouldVerifyOnAnotherWithTheSameKeys() throws Exception {
        String token = tokens.issue("carol@partner.example", 3);
        SessionTokens otherNode = new SessionTokens(keys, Duration.ofMinutes(30), Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC));

        SessionClaims claims = otherNode.verify(token, 3);

        assertThat(claims.address()).isEqualTo("carol@partner.example");
        assertThat(claims.expiresAt()).isEqualTo(t0.plus(Duration.ofMinutes(30)));
        assertThat(claims.tokenId()).isNotBlank();
        assertThat(claims.csrfToken()).isNotBlank().isNotEqualTo(claims.tokenId());
    }

    @Test
    void internationalAddressShouldSurviveTheRoundTrip() throws Exception {
        String address = "jürgen.😀@bücher.example";

        assertThat(tokens.verify(tokens.issue(address, 7), 7).address()).isEqualTo(address);
    }

    @Test
    void tokenShouldAskForRenewalAfterHalfItsLifetime() throws Exception {
        SessionClaims claims = tokens.open(tokens.issue("carol@partner.example", 0));
        SessionTokens later = new SessionTokens(keys, Duration.ofMinutes(30), Clock.fixed(t0.plus(Duration.ofMinutes(15)), ZoneOffset.UTC));

        assertThat(tokens.shouldRenew(claims)).isFalse();
        assertThat(later.shouldRenew(claims)).isTrue();
    }

    @Test
    void verifyShouldRefuseExpiredTokens() {
        String token = tokens.issue("carol@partner.example", 0);
        SessionTokens later = new SessionTokens(keys, Duration.ofMinutes(30),
            Clock.fixed(t0.plus(Duration.ofMinutes(30)), ZoneOffset.UTC));

        assertThatThrownBy(() -> later.verify(token, 0)).isInstanceOf(InvalidSealException.class).hasMessageContaining("expired");
    }

    @Test
    void renewalShouldNeverCarryASessionPastItsAbsoluteLifetime() throws Exception {
        MutableClock clock = new MutableClock(t0);
        SessionTokens bounded = new SessionTokens(keys, Duration.ofMinutes(30), Duration.ofHours(1), clock);
        String token = bounded.issue("carol@partner.example", 0);
        for (int i = 0; i < 2; i++) {   // an active user renews every 20 minutes
            clock.advance(Duration.ofMinutes(20));
            token = bounded.renew(bounded.verify(token, 0));
        }
        SessionClaims last = bounded.verify(token, 0);
        assertThat(last.expiresAt()).isEqualTo(t0.plus(Duration.ofHours(1)));
        assertThat(last.startedAt()).isEqualTo(t0);

        assertThat(bounded.shouldRenew(last)).isFalse();
        clock.advance(Duration.ofMinutes(20));
        String stale = token;
        assertThatThrownBy(() -> bounded.verify(stale, 0)).isInstanceOf(InvalidSealException.class);
    }

    @Test
    void verifyShouldRefuseTokenReplayedAfterLogout() {
        String token = tokens.issue("carol@partner.example", 0);

        assertThatThrownBy(() -> tokens.verify(token, 1)).isInstanceOf(InvalidSealException.class).hasMessageContaining("ended");
    }

    @Test
    void verifyShouldRefuseForgedAndTamperedTokens() {
        String token = tokens.issue("carol@partner.example", 0);
        char[] chars = token.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        SessionTokens foreign = new SessionTokens(KeyRing.generate("s1"), Duration.ofMinutes(30), Clock.fixed(t0, ZoneOffset.UTC));

        assertThatThrownBy(() -> tokens.verify(new String(chars), 0)).isInstanceOf(InvalidSealException.class);
        assertThatThrownBy(() -> tokens.verify(foreign.issue("carol@partner.example", 0), 0)).isInstanceOf(InvalidSealException.class);
        assertThatThrownBy(() -> tokens.verify("garbage", 0)).isInstanceOf(InvalidSealException.class);
        assertThatThrownBy(() -> tokens.verify("", 0)).isInstanceOf(InvalidSealException.class);
    }

    @Test
    void valueSealedForAnotherPurposeShouldNotPassAsSession() {
        String formToken = new SealedBox(keys, "form").seal(new byte[40]);

        assertThatThrownBy(() -> tokens.open(formToken)).isInstanceOf(InvalidSealException.class);
    }
}
