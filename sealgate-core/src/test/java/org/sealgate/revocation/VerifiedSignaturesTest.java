package org.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;

/** The remembered issuer signatures: only what verified, only for the same certificate and issuer, bounded. */
class VerifiedSignaturesTest {
    private static CertificateIssuer ca;
    private static CertificateIssuer forger;
    private static X509Certificate partner;
    private static X509Certificate forged;

    @BeforeAll
    static void pki() {
        ca = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256);
        forger = CertificateIssuer.newCa("Partner CA", KeyType.EC_P256); // same name, other key
        partner = ca.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificate();
        forged = forger.issue(IssueRequest.forEmail("carol@partner.example", KeyType.EC_P256)).certificate();
    }

    @Test
    void certificateShouldVerifyUnderItsIssuerOnlyAndBeRememberedOnce() {
        VerifiedSignatures signatures = new VerifiedSignatures(8);

        assertThat(signatures.certificate(partner, ca.certificate())).isTrue();
        assertThat(signatures.certificate(partner, ca.certificate())).isTrue();
        assertThat(signatures.size()).isEqualTo(1);

        // The same names under the other key: neither the remembered pair nor the names make it verify.
        assertThat(signatures.certificate(partner, forger.certificate())).isFalse();
        assertThat(signatures.certificate(forged, ca.certificate())).isFalse();
        assertThat(signatures.size()).isEqualTo(1);
    }

    @Test
    void crlShouldVerifyUnderItsIssuerOnly() {
        VerifiedSignatures signatures = new VerifiedSignatures(8);
        X509CRL crl = ca.crl(List.of());
        X509CRL forgedCrl = forger.crl(List.of());

        assertThat(signatures.crl(crl, ca.certificate())).isTrue();
        assertThat(signatures.crl(crl, ca.certificate())).isTrue();
        assertThat(signatures.crl(forgedCrl, ca.certificate())).isFalse();
        assertThat(signatures.crl(crl, forger.certificate())).isFalse();
        assertThat(signatures.size()).isEqualTo(1);
    }

    @Test
    void theLeastRecentlyUsedShouldBeDroppedBeyondTheBound() {
        VerifiedSignatures signatures = new VerifiedSignatures(2);
        X509Certificate colleague = ca.issue(IssueRequest.forEmail("erin@partner.example", KeyType.EC_P256)).certificate();
        X509Certificate other = forger.issue(IssueRequest.forEmail("dan@partner.example", KeyType.EC_P256)).certificate();

        signatures.certificate(partner, ca.certificate());
        signatures.certificate(colleague, ca.certificate());
        signatures.certificate(partner, ca.certificate()); // used again: colleague is now the eldest
        signatures.certificate(other, forger.certificate());

        assertThat(signatures.size()).isEqualTo(2);
        // Still answered correctly, whether remembered or verified again.
        assertThat(signatures.certificate(colleague, ca.certificate())).isTrue();
        assertThat(signatures.certificate(colleague, forger.certificate())).isFalse();
    }
}
