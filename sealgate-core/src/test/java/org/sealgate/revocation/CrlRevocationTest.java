package org.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.CrlServer;
import org.sealgate.testing.MutableClock;
import org.sealgate.testing.RevocationPki;

/** CRLs fetched from a real HTTP distribution point on loopback (JDK HttpServer). */
class CrlRevocationTest {
    private static RevocationPki ca;
    private static RevocationPki otherCa;
    private CrlServer server;
    private MutableClock clock;
    private RevocationChecker checker;
    private IssuedIdentity partner;
    private IssuedIdentity colleague;

    @BeforeAll
    static void pki() {
        ca = RevocationPki.newCa("Partner CA");
        otherCa = RevocationPki.newCa("Partner CA"); // same name, other key: a forger's CA
    }

    @BeforeEach
    void start() throws Exception {
        server = new CrlServer();
        clock = new MutableClock(Instant.now());
        checker = RevocationCheckers.live(RevocationSettings.defaults().withTimeout(Duration.ofSeconds(2)), List::of, clock);
        partner = ca.issue("carol@partner.example", List.of(server.uri()), List.of());
        colleague = ca.issue("erin@partner.example", List.of(server.uri()), List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RevocationStatus check(IssuedIdentity identity) {
        return checker.check(identity.certificate(), List.of(ca.certificate()));
    }

    @Test
    void certificateListedInTheFetchedCrlShouldBeRevoked() {
        server.serve(RevocationPki.der(ca.crl(List.of(partner.certificate()))));

        RevocationStatus status = check(partner);

        assertThat(status.isRevoked()).as(status.toString()).isTrue();
        assertThat(status.source()).isEqualTo("crl");
        assertThat(status.detail()).contains(server.uri().toString());
    }

    @Test
    void certificateNotListedShouldBeGoodAndTheCrlFetchedOnce() {
        server.serve(RevocationPki.der(ca.crl(List.of(partner.certificate()))));

        assertThat(check(colleague).isGood()).isTrue();
        assertThat(check(colleague).isGood()).isTrue();
        assertThat(check(partner).isRevoked()).isTrue();

        assertThat(server.requests()).as("one CRL per distribution point, cached until nextUpdate").isEqualTo(1);
    }

    @Test
    void crlSignedByAnotherCaShouldBeRefusedWithAReason() {
        server.serve(RevocationPki.der(otherCa.crl(List.of())));

        RevocationStatus status = check(partner);

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("refused").contains("signature does not verify");
    }

    @Test
    void crlPastItsNextUpdateShouldGiveUnknownNeverGood() {
        Instant now = clock.instant();
        server.serve(RevocationPki.der(ca.crl(List.of(), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))));

        RevocationStatus status = check(colleague);

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("stale");
    }

    @Test
    void cachedCrlShouldTurnUnknownOncePastNextUpdateAndTheServerIsGone() {
        server.serve(RevocationPki.der(ca.crl(List.of(), clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofHours(1)))));
        assertThat(check(colleague).isGood()).isTrue();

        server.serve(new byte[0]); // 404 from now on
        clock.advance(Duration.ofHours(2));

        RevocationStatus status = check(colleague);
        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("stale").contains("HTTP 404");
    }

    @Test
    void refreshDueShouldFetchTheNewCrlBeforeNextUpdateSoARevocationShowsWithinOneRefresh() {
        Instant now = clock.instant();
        server.serve(RevocationPki.der(ca.crl(List.of(), now.minusSeconds(60), now.plus(Duration.ofHours(10)))));
        assertThat(check(partner).isGood()).isTrue();
        assertThat(checker.refreshDue()).as("nothing due yet").isZero();

        server.serve(RevocationPki.der(ca.crl(List.of(partner.certificate()), now, now.plus(Duration.ofHours(20)))));
        clock.advance(Duration.ofHours(9).plusMinutes(30)); // within the last tenth (1 h) before nextUpdate

        assertThat(checker.refreshDue()).isEqualTo(1);
        assertThat(server.requests()).isEqualTo(2);
        assertThat(check(partner).isRevoked()).isTrue();
        assertThat(server.requests()).as("the check used the refreshed CRL").isEqualTo(2);
    }

    @Test
    void certificateUnderAnIntermediateRevokedInTheRootsCrlShouldBeRevoked() throws Exception {
        try (CrlServer rootCrl = new CrlServer()) {
            RevocationPki intermediate = ca.subordinate("Partner Issuing CA", List.of(rootCrl.uri()));
            IssuedIdentity ivan = intermediate.issue("ivan@partner.example", List.of(server.uri()), List.of());
            server.serve(RevocationPki.der(intermediate.crl(List.of()))); // the intermediate lists nobody
            List<X509Certificate> issuers = List.of(ca.certificate(), intermediate.certificate());
            rootCrl.serve(RevocationPki.der(ca.crl(List.of())));
            assertThat(checker.check(ivan.certificate(), issuers).isGood()).isTrue();

            RevocationChecker later = RevocationCheckers.live(RevocationSettings.defaults(), List::of, clock);
            rootCrl.serve(RevocationPki.der(ca.crl(List.of(intermediate.certificate()))));
            RevocationStatus status = later.check(ivan.certificate(), issuers);

            assertThat(status.isRevoked()).as(status.toString()).isTrue();
            assertThat(status.detail()).contains("issuing CA").contains("Partner Issuing CA").contains(rootCrl.uri().toString());
        }
    }

    @Test
    void certificateWhoseIntermediateCannotBeCheckedShouldBeUnknownNeverGood() throws Exception {
        try (CrlServer rootCrl = new CrlServer()) {
            RevocationPki intermediate = ca.subordinate("Partner Issuing CA", List.of(rootCrl.uri()));
            IssuedIdentity ivan = intermediate.issue("ivan@partner.example", List.of(server.uri()), List.of());
            server.serve(RevocationPki.der(intermediate.crl(List.of())));
            // rootCrl serves nothing: 404

            RevocationStatus status = checker.check(ivan.certificate(), List.of(ca.certificate(), intermediate.certificate()));

            assertThat(status.isUnknown()).as(status.toString()).isTrue();
            assertThat(status.detail()).contains("issuing CA").contains("Partner Issuing CA").contains("HTTP 404");
        }
    }

    @Test
    void olderCrlReplayedAfterANewerOneShouldBeRefused() {
        Instant now = clock.instant();
        X509Certificate revoked = partner.certificate();
        byte[] old = RevocationPki.der(ca.crl(List.of(), now.minus(Duration.ofHours(2)), now.plus(Duration.ofHours(1))));
        server.serve(RevocationPki.der(ca.crl(List.of(revoked), now.minusSeconds(60), now.plus(Duration.ofMinutes(30)))));
        assertThat(check(partner).isRevoked()).isTrue();

        server.serve(old);
        clock.advance(Duration.ofMinutes(28)); // the newer CRL is due for refresh; the server now replays the old one
        checker.refreshDue();

        RevocationStatus status = check(partner);
        assertThat(status.isRevoked()).as("the replayed older CRL must not un-revoke: " + status).isTrue();
    }

    @Test
    void certificateWithoutAnySourceShouldBeUnknownSayingSo() {
        IssuedIdentity bare = ca.issue("frank@partner.example", List.of(), List.of());

        RevocationStatus status = check(bare);

        assertThat(status.isNotPublished()).isTrue();
        assertThat(status.detail()).contains("names no OCSP responder or http(s) CRL distribution point");
    }

    @Test
    void importedCrlShouldRevokeEvenWhenTheDistributionPointSaysGood() {
        server.serve(RevocationPki.der(ca.crl(List.of())));
        RevocationChecker withImport = RevocationCheckers.live(RevocationSettings.defaults(),
            () -> List.of(ca.crl(List.of(partner.certificate()))), clock);

        RevocationStatus status = withImport.check(partner.certificate(), List.of(ca.certificate()));

        assertThat(status.isRevoked()).isTrue();
        assertThat(status.source()).isEqualTo("imported-crl");
    }

    @Test
    void issuerNotAtHandShouldGiveUnknown() {
        server.serve(RevocationPki.der(ca.crl(List.of())));

        RevocationStatus status = checker.check(partner.certificate(), List.of(otherCa.certificate()));

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("issuer certificate");
        assertThat(server.requests()).as("nothing is fetched for a certificate we cannot place").isZero();
    }

    @Test
    void crlLargerThanTheLimitShouldBeRefused() {
        server.serve(RevocationPki.der(ca.crl(List.of(partner.certificate()))));
        RevocationSettings defaults = RevocationSettings.defaults();
        RevocationChecker small = RevocationCheckers.live(new RevocationSettings(defaults.timeout(), 100,
            defaults.maxOcspBytes(), defaults.failureBackoff(), defaults.crlMaxAge(), defaults.ocspMaxAge(),
            defaults.clockSkew()), List::of, clock);

        RevocationStatus status = small.check(partner.certificate(), List.of(ca.certificate()));

        assertThat(status.isUnknown()).isTrue();
        assertThat(status.detail()).contains("more than the limit of 100");
    }

    @Test
    void distributionPointThatNeverAnswersShouldBeGivenUpAfterTheTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/ca.crl");
            IssuedIdentity hanging = ca.issue("gina@partner.example", List.of(uri), List.of());
            RevocationChecker quick = RevocationCheckers.live(RevocationSettings.defaults().withTimeout(Duration.ofMillis(500)),
                List::of, clock);

            long start = System.nanoTime();
            RevocationStatus status = quick.check(hanging.certificate(), List.of(ca.certificate()));

            assertThat(status.isUnknown()).isTrue();
            assertThat(status.detail()).contains("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }
}
