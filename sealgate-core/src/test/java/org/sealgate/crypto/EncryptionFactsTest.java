package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestPki;

/** Remembered certificate facts never change an answer: each certificate keeps its own, asked in any order. */
class EncryptionFactsTest {
    private final SmimeCrypto crypto = new SmimeCrypto();
    private final Instant now = Instant.now();

    @Test
    void certificatesAskedInTurnShouldEachKeepTheirOwnAnswerMoreTimesThanTheCacheHasSlots() {
        X509Certificate good = TestPki.aliceRsa().certificate();
        X509Certificate signOnly = TestPki.ca().issue(IssueRequest.forEmail("s@partner.test", KeyType.RSA_2048)
            .keyUsage(KeyUsage.digitalSignature)).certificate();
        X509Certificate tlsOnly = TestPki.ca().issue(IssueRequest.forEmail("t@partner.test", KeyType.EC_P256)
            .extendedKeyUsage(List.of(KeyPurposeId.id_kp_clientAuth))).certificate();
        X509Certificate expired = TestPki.ca().issue(IssueRequest.forEmail("old@partner.test", KeyType.EC_P256)
            .validity(now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)))).certificate();
        List<X509Certificate> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(TestPki.ca().issue(IssueRequest.forEmail("p" + i + "@partner.test", KeyType.EC_P256)).certificate());
        }

        for (int round = 0; round < EncryptionFacts.SLOTS + 1; round++) {
            assertThat(crypto.checkForEncryption(good, now, List.of()).usable()).isTrue();
            assertThat(crypto.checkForEncryption(signOnly, now, List.of()).reason()).isEqualTo("wrong-key-usage");
            assertThat(crypto.checkForEncryption(tlsOnly, now, List.of()).detail()).contains("emailProtection");
            // Time is never remembered: the same certificate is refused as expired every time.
            assertThat(crypto.checkForEncryption(expired, now, List.of()).reason()).isEqualTo("expired");
            X509Certificate other = others.get(round % others.size());
            assertThat(crypto.checkForEncryption(other, now, List.of()).usable()).isTrue();
        }
    }

    @Test
    void aCopyOfACertificateShouldGetTheFactsOfItsBytes() throws Exception {
        X509Certificate signOnly = TestPki.ca().issue(IssueRequest.forEmail("s2@partner.test", KeyType.EC_P256)
            .keyUsage(KeyUsage.digitalSignature)).certificate();
        X509Certificate copy = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(signOnly.getEncoded()));

        assertThat(crypto.checkForEncryption(signOnly, now, List.of()).reason()).isEqualTo("wrong-key-usage");
        assertThat(crypto.checkForEncryption(copy, now, List.of()).reason()).isEqualTo("wrong-key-usage");
        assertThat(EncryptionFacts.of(copy).kind()).isEqualTo(KeyKind.EC);
        assertThat(EncryptionFacts.of(TestPki.carolX25519().certificate()).kind()).isEqualTo(KeyKind.X25519);
    }

    @Test
    void aCertificateWithARevokingCrlShouldBeRefusedAlthoughItsFactsAreRemembered() {
        var identity = TestPki.ca().issue(IssueRequest.forEmail("gone2@partner.test", KeyType.EC_P256));
        assertThat(crypto.checkForEncryption(identity.certificate(), now, List.of()).usable()).isTrue();

        assertThat(crypto.checkForEncryption(identity.certificate(), now,
            List.of(TestPki.ca().crl(List.of(identity.certificate().getSerialNumber())))).reason()).isEqualTo("revoked");
    }
}
