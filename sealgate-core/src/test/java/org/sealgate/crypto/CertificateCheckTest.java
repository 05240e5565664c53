package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestPki;

class CertificateCheckTest {
    private final SmimeCrypto crypto = new SmimeCrypto();
    private final Instant now = Instant.now();

    private IssuedIdentity issue(IssueRequest request) {
        return TestPki.ca().issue(request);
    }

    @Test
    void checkShouldAcceptRsaEcAndX25519EncryptionCertificates() {
        for (IssuedIdentity identity : List.of(TestPki.aliceRsa(), TestPki.bobEc(), TestPki.carolX25519())) {
            CertificateCheck check = crypto.checkForEncryption(identity.certificate(), now, List.of());
            assertThat(check.usable()).as(check.detail()).isTrue();
            assertThat(check.reason()).isEmpty();
        }
    }

    @Test
    void encryptShouldFailWhenCertificateExpired() {
        IssuedIdentity expired = issue(IssueRequest.forEmail("old@partner.test", KeyType.EC_P256)
                .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35))));

        CertificateCheck check = crypto.checkForEncryption(expired.certificate(), now, List.of());

        assertThat(check.usable()).isFalse();
        assertThat(check.reason()).isEqualTo("expired");
    }

    @Test
    void checkShouldRefuseCertificateNotYetValid() {
        IssuedIdentity future = issue(IssueRequest.forEmail("new@partner.test", KeyType.EC_P256)
                .validity(now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(300))));

        assertThat(crypto.checkForEncryption(future.certificate(), now, List.of()).reason()).isEqualTo("not-yet-valid");
    }

    @Test
    void checkShouldRefuseCertificateRevokedByIssuerCrl() {
        IssuedIdentity revoked = issue(IssueRequest.forEmail("gone@partner.test", KeyType.EC_P256));

        CertificateCheck check = crypto.checkForEncryption(revoked.certificate(), now,
                List.of(TestPki.ca().crl(List.of(revoked.certificate().getSerialNumber()))));

        assertThat(check.usable()).isFalse();
        assertThat(check.reason()).isEqualTo("revoked");
    }

    @Test
    void checkShouldRefuseRsaCertificateWithoutKeyEncipherment() {
        IssuedIdentity signOnly = issue(IssueRequest.forEmail("s@partner.test", KeyType.RSA_2048).keyUsage(KeyUsage.digitalSignature));

        assertThat(crypto.checkForEncryption(signOnly.certificate(), now, List.of()).reason()).isEqualTo("wrong-key-usage");
    }

    @Test
    void checkShouldRefuseEcCertificateWithoutKeyAgreement() {
        IssuedIdentity signOnly = issue(IssueRequest.forEmail("s@partner.test", KeyType.EC_P256).keyUsage(KeyUsage.digitalSignature));

        assertThat(crypto.checkForEncryption(signOnly.certificate(), now, List.of()).reason()).isEqualTo("wrong-key-usage");
    }

    @Test
    void checkShouldRefuseCertificateWhoseEkuLacksEmailProtection() {
        IssuedIdentity tls = issue(IssueRequest.forEmail("t@partner.test", KeyType.EC_P256)
                .extendedKeyUsage(List.of(KeyPurposeId.id_kp_clientAuth)));

        assertThat(crypto.checkForEncryption(tls.certificate(), now, List.of()).reason()).isEqualTo("wrong-key-usage");
    }

    @Test
    void checkShouldAcceptAnyExtendedKeyUsageAndMissingExtensions() {
        IssuedIdentity any = issue(IssueRequest.forEmail("a@partner.test", KeyType.EC_P256)
                .extendedKeyUsage(List.of(KeyPurposeId.anyExtendedKeyUsage)));
        IssuedIdentity bare = issue(IssueRequest.forEmail("b@partner.test", KeyType.EC_P256).keyUsage(0).extendedKeyUsage(List.of()));

        assertThat(crypto.checkForEncryption(any.certificate(), now, List.of()).usable()).isTrue();
        assertThat(crypto.checkForEncryption(bare.certificate(), now, List.of()).usable()).isTrue();
    }

    @Test
    void checkShouldRefuseSigningOnlyKeyTypes() {
        assertThat(crypto.checkForEncryption(TestPki.daveEd25519().certificate(), now, List.of()).reason())
                .isEqualTo("unsupported-key");
    }

    @Test
    void emailAddressesShouldBeNormalisedFromSubjectAltName() {
        IssuedIdentity mixedCase = issue(IssueRequest.forEmail("Mixed.Case@Partner.TEST", KeyType.EC_P256));

        assertThat(SmimeCrypto.emailAddresses(mixedCase.certificate())).containsExactly("mixed.case@partner.test");
    }
}
