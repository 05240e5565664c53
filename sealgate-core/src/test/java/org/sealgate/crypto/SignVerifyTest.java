package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.CertificateIssuer;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class SignVerifyTest {
    private static final String ALICE_HEADERS = "From: Alice <" + TestMessages.FROM + ">\r\nTo: " + TestMessages.TO
            + "\r\nSubject: invoice\r\n";
    private final SmimeCrypto crypto = new SmimeCrypto();
    private final VerificationPolicy trustTestCa = VerificationPolicy.trusting(List.of(TestPki.ca().certificate()));

    private MimeMessage signedByAlice(MimeMessage message) throws CryptoException {
        return reparse(crypto.sign(message, TestPki.managed(TestPki.aliceRsa())));
    }

    private static MimeMessage reparse(MimeMessage message) {
        return TestMessages.parse(TestMessages.bytes(message));
    }

    @Test
    void signShouldProduceDetachedMultipartSignedThatVerifiesValid() throws Exception {
        MimeMessage original = TestMessages.text("hello");
        MimeMessage signed = signedByAlice(original);

        assertThat(signed.getContentType()).startsWith("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;");
        assertThat(signed.getSubject()).isEqualTo(original.getSubject());
        assertThat(signed.getMessageID()).isEqualTo(original.getMessageID());
        assertThat(SmimeCrypto.isSigned(signed)).isTrue();
        assertThat(SmimeCrypto.isSigned(original)).isFalse();

        VerificationResult result = crypto.verify(signed, trustTestCa);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(result.signerCertificate()).contains(TestPki.aliceRsa().certificate());
        assertThat(result.signerAddresses()).containsExactly(TestMessages.FROM);
        assertThat(result.certificatesToHarvest()).containsExactly(TestPki.aliceRsa().certificate());
        assertThat(result.content()).contains(signed);
    }

    @Test
    void signShouldWorkWithEcAndEd25519Keys() throws Exception {
        IssuedIdentity bob = TestPki.bobEc();
        MimeMessage fromBob = TestMessages.textFrom(TestMessages.TO, "ec");
        assertThat(crypto.verify(reparse(crypto.sign(fromBob, TestPki.managed(bob))), trustTestCa).status())
                .isEqualTo(SignatureStatus.VALID);

        IssuedIdentity dave = TestPki.daveEd25519();
        MimeMessage signedByDave = reparse(crypto.sign(TestMessages.textFrom("dave@sealgate.test", "ed"), TestPki.managed(dave)));
        assertThat(signedByDave.getContentType()).contains("micalg=sha-512");
        VerificationResult result = crypto.verify(signedByDave, trustTestCa);
        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void signShouldConvertEightBitTextToQuotedPrintableSoTheSignatureSurvivesRelays() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.eightBit());

        String raw = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1);
        assertThat(raw.chars().allMatch(c -> c < 128)).isTrue();
        assertThat(raw).contains("Content-Transfer-Encoding: quoted-printable");
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(TestMessages.firstText(signed)).startsWith("Grüße aus Zürich");
    }

    @Test
    void signShouldEncodeLinesLongerThan998Octets() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.longLines());

        String raw = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1);
        assertThat(raw.lines().mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(998);
        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(TestMessages.firstText(signed)).contains("x".repeat(2000));
    }

    @Test
    void signShouldKeepAttachmentBytes() throws Exception {
        byte[] attachment = TestMessages.randomBytes(5000, 7);
        MimeMessage signed = signedByAlice(TestMessages.withAttachment("see attachment", attachment));

        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(TestMessages.attachment(signed)).isEqualTo(attachment);
    }

    @Test
    void verifyShouldSayNotSignedForPlainMessage() {
        assertThat(crypto.verify(TestMessages.text("x"), trustTestCa).status()).isEqualTo(SignatureStatus.NOT_SIGNED);
    }

    @Test
    void verifyShouldReportPartialWhenSignedPartIsWrappedInMixedWithUnsignedText() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.text("original"));
        byte[] signedEntity = SignedMessageForge.concat(("Content-Type: " + signed.getContentType() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), TestMessages.readAll(signed.getRawInputStream()));
        String wrapper = ALICE_HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
                + "--outer\r\nContent-Type: text/plain\r\n\r\nPlease pay to account 666 instead.\r\n--outer\r\n";
        MimeMessage spoof = TestMessages.parse(SignedMessageForge.concat(wrapper.getBytes(StandardCharsets.ISO_8859_1),
                signedEntity, "\r\n--outer--\r\n".getBytes(StandardCharsets.ISO_8859_1)));

        VerificationResult result = crypto.verify(spoof, trustTestCa);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.PARTIAL);
        assertThat(SmimeCrypto.isSigned(spoof)).isFalse();
    }

    @Test
    void verifyShouldReportSignerMismatchWhenFromDiffersFromSigner() throws Exception {
        MimeMessage signed = crypto.sign(TestMessages.textFrom("mallory@evil.test", "hi"), TestPki.managed(TestPki.aliceRsa()));

        VerificationResult result = crypto.verify(reparse(signed), trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.SIGNER_MISMATCH);
        assertThat(result.detail()).contains("mallory@evil.test");
        assertThat(result.certificatesToHarvest()).containsExactly(TestPki.aliceRsa().certificate());
    }

    @Test
    void verifyShouldReportSignerMismatchWhenSenderHeaderDiffers() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        byte[] cms = SignedMessageForge.detachedSignature(content, List.of(TestPki.aliceRsa()));
        MimeMessage message = SignedMessageForge.multipartSigned(ALICE_HEADERS + "Sender: mallory@evil.test\r\n", content, cms);

        assertThat(crypto.verify(message, trustTestCa).status()).isEqualTo(SignatureStatus.SIGNER_MISMATCH);
    }

    @Test
    void verifyShouldAcceptSenderHeaderEqualToFrom() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        byte[] cms = SignedMessageForge.detachedSignature(content, List.of(TestPki.aliceRsa()));
        MimeMessage message = SignedMessageForge.multipartSigned(ALICE_HEADERS + "Sender: ALICE@sealgate.test\r\n", content, cms);

        assertThat(crypto.verify(message, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldReportSignerMismatchWhenFromHasTwoAddresses() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        byte[] cms = SignedMessageForge.detachedSignature(content, List.of(TestPki.aliceRsa()));
        MimeMessage message = SignedMessageForge.multipartSigned("From: " + TestMessages.FROM + ", ceo@sealgate.test\r\n",
                content, cms);

        VerificationResult result = crypto.verify(message, trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.SIGNER_MISMATCH);
        assertThat(result.detail()).contains("exactly one address");
    }

    @Test
    void verifyShouldReportNoSignerForSignatureWithZeroSignerInfos() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        byte[] cms = SignedMessageForge.detachedSignature(content, List.of());

        VerificationResult result = crypto.verify(SignedMessageForge.multipartSigned(ALICE_HEADERS, content, cms), trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.NO_SIGNER);
        assertThat(result.certificatesToHarvest()).isEmpty();
    }

    @Test
    void verifyShouldReportConflictingSignersForTwoSignersWithDifferentCertificates() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        byte[] cms = SignedMessageForge.detachedSignature(content, List.of(TestPki.aliceRsa(), TestPki.bobEc()));

        VerificationResult result = crypto.verify(SignedMessageForge.multipartSigned(ALICE_HEADERS, content, cms), trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.CONFLICTING_SIGNERS);
    }

    @Test
    void verifyShouldReportBadSignatureWhenBodyIsModifiedAfterSigning() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.text("Pay 100 EUR"));
        String raw = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1).replace("Pay 100 EUR", "Pay 900 EUR");

        VerificationResult result = crypto.verify(TestMessages.parse(raw.getBytes(StandardCharsets.ISO_8859_1)), trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.BAD_SIGNATURE);
        assertThat(result.detail()).contains("digest mismatch");
        assertThat(result.certificatesToHarvest()).isEmpty();
    }

    @Test
    void verifyShouldReportUntrustedWhenSignerCaIsNotAnAnchor() throws Exception {
        CertificateIssuer otherCa = CertificateIssuer.newCa("Other CA", KeyType.EC_P256);
        VerificationResult result = crypto.verify(signedByAlice(TestMessages.text("x")),
                VerificationPolicy.trusting(List.of(otherCa.certificate())));

        assertThat(result.status()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(result.certificatesToHarvest()).containsExactly(TestPki.aliceRsa().certificate());
    }

    @Test
    void verifyShouldReportUntrustedWithoutAnyTrustAnchor() throws Exception {
        assertThat(crypto.verify(signedByAlice(TestMessages.text("x")), VerificationPolicy.trusting(List.of())).status())
                .isEqualTo(SignatureStatus.UNTRUSTED);
    }

    @Test
    void verifyShouldReportExpiredWhenSignerCertificateExpired() throws Exception {
        Instant now = Instant.now();
        IssuedIdentity expired = TestPki.ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256)
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));

        VerificationResult result = crypto.verify(reparse(crypto.sign(TestMessages.text("x"), TestPki.managed(expired))),
                trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.EXPIRED);
    }

    @Test
    void verifyShouldReportWrongKeyUsageWhenSignerLacksDigitalSignature() throws Exception {
        IssuedIdentity encryptionOnly = TestPki.ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.RSA_2048)
                .keyUsage(KeyUsage.keyEncipherment));

        VerificationResult result = crypto.verify(reparse(crypto.sign(TestMessages.text("x"), TestPki.managed(encryptionOnly))),
                trustTestCa);

        assertThat(result.status()).isEqualTo(SignatureStatus.WRONG_KEY_USAGE);
    }

    @Test
    void verifyShouldReportWrongKeyUsageWhenEkuLacksEmailProtection() throws Exception {
        IssuedIdentity tlsOnly = TestPki.ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256)
                .extendedKeyUsage(List.of(KeyPurposeId.id_kp_serverAuth)));

        assertThat(crypto.verify(reparse(crypto.sign(TestMessages.text("x"), TestPki.managed(tlsOnly))), trustTestCa).status())
                .isEqualTo(SignatureStatus.WRONG_KEY_USAGE);
    }

    @Test
    void verifyShouldReportRevokedWhenCrlListsSigner() throws Exception {
        IssuedIdentity revoked = TestPki.ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256));
        MimeMessage signed = reparse(crypto.sign(TestMessages.text("x"), TestPki.managed(revoked)));
        List<java.security.cert.X509CRL> crls = List.of(TestPki.ca().crl(List.of(revoked.certificate().getSerialNumber())));

        assertThat(crypto.verify(signed, trustTestCa.withCrls(crls)).status()).isEqualTo(SignatureStatus.REVOKED);
        List<java.security.cert.X509CRL> otherSerials = List.of(TestPki.ca().crl(List.of(BigInteger.TEN)));
        assertThat(crypto.verify(signed, trustTestCa.withCrls(otherSerials)).status()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldReportRevokedBeforeUntrusted() throws Exception {
        IssuedIdentity revoked = TestPki.ca().issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256));
        MimeMessage signed = reparse(crypto.sign(TestMessages.text("x"), TestPki.managed(revoked)));
        VerificationPolicy noAnchorsButCrl = new VerificationPolicy(List.of(), List.of(TestPki.ca().crl(
                List.of(revoked.certificate().getSerialNumber()))), List.of(TestPki.ca().certificate()), null);

        assertThat(crypto.verify(signed, noAnchorsButCrl).status()).isEqualTo(SignatureStatus.REVOKED);
    }

    @Test
    void verifyShouldReportMalformedForGarbageSignature() {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        MimeMessage message = SignedMessageForge.multipartSigned(ALICE_HEADERS, content, "not a CMS object".getBytes());

        assertThat(crypto.verify(message, trustTestCa).status()).isEqualTo(SignatureStatus.MALFORMED);
    }

    @Test
    void verifyShouldReportMalformedForMultipartSignedWithoutClosingBoundary() {
        MimeMessage message = TestMessages.parse(ALICE_HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; "
                + "protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n");

        assertThat(crypto.verify(message, trustTestCa).status()).isEqualTo(SignatureStatus.MALFORMED);
    }

    @Test
    void verifyShouldAcceptOpaqueSignedDataAndReturnTheEncapsulatedEntity() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        org.bouncycastle.cms.CMSSignedDataGenerator generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        IssuedIdentity alice = TestPki.aliceRsa();
        generator.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider("BC").build("SHA256withRSA", alice.keyPair().getPrivate(), alice.certificate()));
        generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(alice.certificate())));
        byte[] cms = generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(content), true).getEncoded();

        VerificationResult result = crypto.verify(SignedMessageForge.opaqueSigned(ALICE_HEADERS, cms), trustTestCa);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        MimeMessage inner = result.content().orElseThrow();
        assertThat(inner.getContentType()).isEqualTo("text/plain; charset=us-ascii");
        assertThat(inner.getSubject()).isEqualTo("invoice");
        assertThat(TestMessages.firstText(inner)).isEqualTo("Pay invoice 4711.\r\n");
    }

    @Test
    void verifyShouldCheckCanonicalFormWhenStoreRewroteLineEndingsToLf() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.text("line one\nline two"));
        byte[] lfOnly = new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1).replace("\r\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThat(crypto.verify(TestMessages.parse(lfOnly), trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldBuildPathThroughIntermediateIncludedInSignature() throws Exception {
        CertificateIssuer intermediate = TestPki.ca().newIntermediate("Sealgate Issuing CA", KeyType.EC_P256);
        IssuedIdentity signer = intermediate.issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256));
        MimeMessage signed = reparse(crypto.sign(TestMessages.text("chain"), TestPki.managed(signer)));

        VerificationResult result = crypto.verify(signed, trustTestCa);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(result.detail()).contains("Sealgate Test CA");
    }

    @Test
    void verifyShouldReportRevokedWhenIntermediateIsRevokedByRootCrl() throws Exception {
        CertificateIssuer intermediate = TestPki.ca().newIntermediate("Revoked Issuing CA", KeyType.EC_P256);
        IssuedIdentity signer = intermediate.issue(IssueRequest.forEmail(TestMessages.FROM, KeyType.EC_P256));
        MimeMessage signed = reparse(crypto.sign(TestMessages.text("chain"), TestPki.managed(signer)));
        List<java.security.cert.X509CRL> crls = List.of(TestPki.ca().crl(List.of(intermediate.certificate().getSerialNumber())),
                intermediate.crl(List.of()));

        assertThat(crypto.verify(signed, trustTestCa.withCrls(crls)).status()).isEqualTo(SignatureStatus.REVOKED);
    }

    @Test
    void verifyShouldResolveSignerFromKnownCertificatesWhenNotEmbedded() throws Exception {
        byte[] content = SignedMessageForge.CONTENT.getBytes(StandardCharsets.US_ASCII);
        IssuedIdentity alice = TestPki.aliceRsa();
        org.bouncycastle.cms.CMSSignedDataGenerator generator = new org.bouncycastle.cms.CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider("BC").build("SHA256withRSA", alice.keyPair().getPrivate(), alice.certificate()));
        byte[] cms = generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(content), false).getEncoded();
        MimeMessage message = SignedMessageForge.multipartSigned(ALICE_HEADERS, content, cms);

        assertThat(crypto.verify(message, trustTestCa).status()).isEqualTo(SignatureStatus.NO_SIGNER);
        assertThat(crypto.verify(message, trustTestCa.withKnownCertificates(List.of(alice.certificate()))).status())
                .isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldReportBadSignatureInsideMixedBeforePartial() throws Exception {
        MimeMessage signed = signedByAlice(TestMessages.text("original"));
        String signedEntity = "Content-Type: " + signed.getContentType() + "\r\n\r\n"
                + new String(TestMessages.readAll(signed.getRawInputStream()), StandardCharsets.ISO_8859_1)
                .replace("original", "tampered");
        MimeMessage spoof = TestMessages.parse(ALICE_HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n"
                + "--outer\r\n" + signedEntity + "\r\n--outer--\r\n");

        assertThat(crypto.verify(spoof, trustTestCa).status()).isEqualTo(SignatureStatus.BAD_SIGNATURE);
    }

    @Test
    void verifyShouldTreatPgpMimeAsNotSmimeSigned() {
        MimeMessage pgp = TestMessages.parse(ALICE_HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/signed; "
                + "protocol=\"application/pgp-signature\"; micalg=pgp-sha256; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/pgp-signature\r\n\r\n"
                + "-----BEGIN PGP SIGNATURE-----\r\n-----END PGP SIGNATURE-----\r\n--b--\r\n");

        assertThat(crypto.verify(pgp, trustTestCa).status()).isEqualTo(SignatureStatus.NOT_SIGNED);
        assertThat(SmimeCrypto.isSigned(pgp)).isFalse();
    }

    @Test
    void verifyShouldNeverThrowForGarbageInput() {
        List<String> garbage = List.of(
                "Content-Type: multipart/signed\r\n\r\nno boundary",
                "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@",
                "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n\r\n\u0000\u0001garbage",
                "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/signed; boundary=y\r\n\r\n--y\r\n",
                "Content-Type: ;;;\r\n\r\n");
        for (String raw : garbage) {
            VerificationResult result = crypto.verify(TestMessages.parse(ALICE_HEADERS + raw), trustTestCa);
            assertThat(result.status()).as(raw).isIn(SignatureStatus.MALFORMED, SignatureStatus.NOT_SIGNED);
        }
    }

    @Test
    void signShouldLeaveAttachedMessagesUntouched() throws Exception {
        MimeMessage withForward = TestMessages.parse(ALICE_HEADERS + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
                + "--m\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--m\r\nContent-Type: message/rfc822\r\n\r\n"
                + "From: x@y.test\r\nSubject: fwd\r\n\r\nplain ascii forwarded body\r\n--m--\r\n");

        MimeMessage signed = signedByAlice(withForward);

        assertThat(crypto.verify(signed, trustTestCa).status()).isEqualTo(SignatureStatus.VALID);
        assertThat(new String(TestMessages.bytes(signed), StandardCharsets.ISO_8859_1)).contains("plain ascii forwarded body");
    }
}
