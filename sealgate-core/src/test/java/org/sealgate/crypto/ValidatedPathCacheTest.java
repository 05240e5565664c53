package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.MutableClock;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** The validated-path cache never lets a remembered path vouch for a different signer, anchor set or CRL state. */
class ValidatedPathCacheTest {
    private final MutableClock clock = new MutableClock(Instant.now());
    private final ValidatedPathCache paths = ValidatedPathCache.bounded(16, Duration.ofMinutes(10), clock);
    private final SmimeCrypto crypto = new SmimeCrypto(paths);
    private final VerificationPolicy trustTestCa = VerificationPolicy.trusting(List.of(TestPki.ca().certificate()));

    private MimeMessage signedBy(IssuedIdentity signer, String body) throws CryptoException {
        return TestMessages.parse(TestMessages.bytes(crypto.sign(TestMessages.text(body), TestPki.managed(signer))));
    }

    private static IssuedIdentity aliceUnder(CertificateIssuer issuer) {
        return issuer.issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256));
    }

    @Test
    void secondVerificationBySameSignerShouldBeServedFromTheCacheAndStayValid() throws Exception {
        MimeMessage signed = signedBy(aliceUnder(TestPki.ca()), "one");

        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(paths.hits()).isZero();
        VerificationResult again = crypto.verify(signed, trustTestCa);

        assertThat(again.status()).as(again.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(again.detail()).contains("Sealgate Test CA");
        assertThat(paths.hits()).isEqualTo(1);
        assertThat(paths.size()).isEqualTo(1);
    }

    @Test
    void cachedGoodPathShouldNotVouchOnceItsAnchorIsRemoved() throws Exception {
        CertificateIssuer stranger = CertificateIssuer.newCa("Other Anchor CA", KeyType.EC_P256);
        MimeMessage signed = signedBy(aliceUnder(TestPki.ca()), "anchor");
        VerificationPolicy both = VerificationPolicy.trusting(List.of(TestPki.ca().certificate(), stranger.certificate()));
        assertThat(crypto.verify(signed, both).status()).isEqualTo(SignatureStatus.VALID);

        VerificationResult withoutAnchor = crypto.verify(signed, VerificationPolicy.trusting(List.of(stranger.certificate())));

        assertThat(withoutAnchor.status()).as(withoutAnchor.detail()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(paths.hits()).isZero();
    }

    @Test
    void cachedGoodPathShouldTurnRevokedWhenACrlListingTheSignerIsImported() throws Exception {
        IssuedIdentity alice = aliceUnder(TestPki.ca());
        MimeMessage signed = signedBy(alice, "crl");
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(paths.hits()).isEqualTo(1);

        List<X509CRL> crl = List.of(TestPki.ca().crl(List.of(alice.certificate().getSerialNumber())));

        assertThat(crypto.verify(signed, trustTestCa.withCrls(crl)).status()).isEqualTo(SignatureStatus.REVOKED);
    }

    @Test
    void cachedGoodPathShouldTurnRevokedWhenItsIntermediateIsRevokedLater() throws Exception {
        CertificateIssuer intermediate = TestPki.ca().newIntermediate("Cached Issuing CA", KeyType.EC_P256);
        MimeMessage signed = signedBy(aliceUnder(intermediate), "chain");
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        List<X509CRL> crls = List.of(TestPki.ca().crl(List.of(intermediate.certificate().getSerialNumber())),
            intermediate.crl(List.of()));

        VerificationResult result = crypto.verify(signed, trustTestCa.withCrls(crls));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.REVOKED);
        assertThat(paths.hits()).as("the remembered path was used, and still judged against the new CRL").isEqualTo(1);
    }

    @Test
    void cachedPathShouldNotBeUsedAfterTheIntermediateExpired() throws Exception {
        CertificateIssuer intermediate = TestPki.ca().newIntermediate("Short Issuing CA", KeyType.EC_P256);
        Instant afterIntermediate = intermediate.certificate().getNotAfter().toInstant().plusSeconds(1);
        // The signer outlives its issuer, so only the intermediate's expiry can refuse it.
        IssuedIdentity alice = intermediate.issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256)
            .validity(Instant.now().minus(Duration.ofHours(1)), afterIntermediate.plus(Duration.ofDays(10))));
        MimeMessage signed = signedBy(alice, "expiry");
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(paths.hits()).isEqualTo(1);

        VerificationResult result = crypto.verify(signed, trustTestCa.at(afterIntermediate));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(paths.hits()).as("the remembered path is not used past its intermediate's expiry").isEqualTo(1);
    }

    @Test
    void aCertificateFromAnotherCaWithTheSameNamesShouldNeverGetTheCachedPath() throws Exception {
        CertificateIssuer impostor = CertificateIssuer.newCa("Sealgate Test CA", KeyType.EC_P256);
        assertThat(impostor.certificate().getSubjectX500Principal()).isEqualTo(TestPki.ca().certificate().getSubjectX500Principal());
        assertThat(crypto.verify(signedBy(aliceUnder(TestPki.ca()), "real"), trustTestCa).status())
            .isEqualTo(SignatureStatus.VALID);

        VerificationResult forged = crypto.verify(signedBy(aliceUnder(impostor), "forged"), trustTestCa);

        assertThat(forged.status()).as(forged.detail()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(paths.hits()).isZero();
    }

    @Test
    void aFailedPathShouldNeverBeRemembered() throws Exception {
        CertificateIssuer stranger = CertificateIssuer.newCa("Stranger CA", KeyType.EC_P256);
        MimeMessage signed = signedBy(aliceUnder(stranger), "stranger");

        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.UNTRUSTED);

        assertThat(paths.size()).isZero();
        assertThat(paths.hits()).isZero();
    }

    @Test
    void aTamperedMessageShouldFailEvenWithItsSignersPathCached() throws Exception {
        MimeMessage signed = signedBy(aliceUnder(TestPki.ca()), "pay 100 to account 1234");
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        byte[] tampered = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1)
            .replace("account 1234", "account 6666").getBytes(StandardCharsets.ISO_8859_1);

        VerificationResult result = crypto.verify(TestMessages.parse(tampered), trustTestCa);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.BAD_SIGNATURE);
    }

    @Test
    void anEntryShouldBeBuiltAgainAfterItsMaximumAge() throws Exception {
        MimeMessage signed = signedBy(aliceUnder(TestPki.ca()), "age");
        crypto.verify(signed, trustTestCa);
        clock.advance(Duration.ofMinutes(10));

        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);

        assertThat(paths.hits()).isZero();
        assertThat(paths.misses()).isEqualTo(2);
    }

    @Test
    void theCacheShouldHoldNoMoreThanItsBound() throws Exception {
        ValidatedPathCache small = ValidatedPathCache.bounded(1, Duration.ofMinutes(10), clock);
        SmimeCrypto bounded = new SmimeCrypto(small);
        MimeMessage first = signedBy(aliceUnder(TestPki.ca()), "first");
        MimeMessage second = signedBy(aliceUnder(TestPki.ca()), "second");

        bounded.verify(first, trustTestCa);
        bounded.verify(second, trustTestCa);
        bounded.verify(first, trustTestCa);

        assertThat(small.size()).isEqualTo(1);
        assertThat(small.hits()).isZero();
    }
}
