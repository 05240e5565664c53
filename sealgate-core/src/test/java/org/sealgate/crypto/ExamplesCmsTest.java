package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.TestMessages;

/**
 * Interoperability vectors from another implementation (CryptoSys, draft-ireland-examples-cms) with the RFC 9216
 * example keys. Every object's plaintext is "This is some sample content." without a header block.
 */
class ExamplesCmsTest {
    static Path DIRECTORY;
    private static final String SAMPLE = "This is some sample content.";
    private final SmimeCrypto crypto = new SmimeCrypto();

    @BeforeAll
    static void vectorsPresent() {
        DIRECTORY = Prerequisites.sharedTestData("examples-cms");
    }

    static X509Certificate certificate(String name) throws Exception {
        try (InputStream in = Files.newInputStream(DIRECTORY.resolve("certs-and-keys").resolve(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static PrivateKey privateKey(String name) throws Exception {
        new SmimeCrypto();
        try (Reader reader = Files.newBufferedReader(DIRECTORY.resolve("certs-and-keys").resolve(name));
             PEMParser parser = new PEMParser(reader)) {
            return new JcaPEMKeyConverter().setProvider("BC").getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    static ManagedIdentity bob() throws Exception {
        return new ManagedIdentity("bob@smime.example", privateKey("lamps-bob.decrypt.p8.pem"),
                List.of(certificate("lamps-bob.encrypt.crt")));
    }

    static ManagedIdentity dana() throws Exception {
        return new ManagedIdentity("dana@smime.example", privateKey("lamps-dana.decrypt.p8.pem"),
                List.of(certificate("lamps-dana.encrypt.crt")));
    }

    static byte[] vector(String name) throws Exception {
        return Files.readAllBytes(DIRECTORY.resolve("binary-files").resolve(name));
    }

    /** Wraps a DER CMS object into an S/MIME message the way a mail client would send it. */
    static MimeMessage smime(String from, String smimeType, byte[] der) {
        return TestMessages.parse("From: " + from + "\r\nTo: someone@smime.example\r\nSubject: vector\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + Base64.getMimeEncoder().encodeToString(der) + "\r\n");
    }

    private DecryptionResult decryptVector(String name, String smimeType, ManagedIdentity identity) throws Exception {
        return crypto.decrypt(smime("alice@smime.example", smimeType, vector(name)), List.of(identity));
    }

    @Test
    void decryptShouldOpenEnvelopedDataWithRsaOaepForBob() throws Exception {
        DecryptionResult result = decryptVector("encryptedForBobRSAOaep.p7m", "enveloped-data", bob());

        assertThat(TestMessages.firstText(result.message())).isEqualTo(SAMPLE);
        assertThat(result.message().getContentType()).isEqualTo("text/plain; charset=us-ascii");
        assertThat(result.message().getSubject()).isEqualTo("vector");
        assertThat(result.integrityProtected()).isFalse();
    }

    @Test
    void decryptShouldOpenTwoRecipientEnvelopedDataWithBobsRsaKey() throws Exception {
        assertThat(TestMessages.firstText(decryptVector("encryptedForBobAndDana.p7m", "enveloped-data", bob()).message()))
                .isEqualTo(SAMPLE);
    }

    @Test
    void decryptShouldOpenTwoRecipientEnvelopedDataWithDanasX25519Key() throws Exception {
        // dhSinglePass-stdDH-sha256kdf + X25519 (RFC 8418): BC 1.87 alone fails here, XdhKeyAgreement does it.
        DecryptionResult result = decryptVector("encryptedForBobAndDana.p7m", "enveloped-data", dana());

        assertThat(TestMessages.firstText(result.message())).isEqualTo(SAMPLE);
        assertThat(result.contentAlgorithm()).isEqualTo("AES-128-CBC");
    }

    @Test
    void decryptShouldOpenAuthEnvelopedChaCha20Poly1305ForBob() throws Exception {
        DecryptionResult result = decryptVector("authEnvelopedForBobChaCha20Poly1305.p7m", "authEnveloped-data", bob());

        assertThat(TestMessages.firstText(result.message())).isEqualTo(SAMPLE);
        assertThat(result.contentAlgorithm()).isEqualTo("ChaCha20-Poly1305");
        assertThat(result.integrityProtected()).isTrue();
    }

    @Test
    void decryptShouldOpenAuthEnvelopedX25519HkdfForDana() throws Exception {
        DecryptionResult result = decryptVector("authEnvelopedForDanaX25519HKDF.p7m", "authEnveloped-data", dana());

        assertThat(TestMessages.firstText(result.message())).isEqualTo(SAMPLE);
        assertThat(result.contentAlgorithm()).isEqualTo("AES-128-GCM");
        assertThat(result.integrityProtected()).isTrue();
    }

    @Test
    void decryptShouldAcceptMissingSmimeTypeAndLegacyContentType() throws Exception {
        MimeMessage legacy = TestMessages.parse("From: alice@smime.example\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/x-pkcs7-mime; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(vector("encryptedForBobRSAOaep.p7m")) + "\r\n");

        assertThat(TestMessages.firstText(crypto.decrypt(legacy, List.of(bob())).message())).isEqualTo(SAMPLE);
    }

    @Test
    void decryptShouldThrowNoMatchingKeyForKekRecipientInfo() {
        assertThatThrownBy(() -> decryptVector("encryptedKekri.p7m", "enveloped-data", bob()))
                .isInstanceOf(NoMatchingKeyException.class).hasMessageContaining("KEK id");
    }

    @Test
    void decryptShouldThrowNoMatchingKeyWhenOnlyOtherRecipientKeyIsOffered() {
        assertThatThrownBy(() -> decryptVector("encryptedForBobRSAOaep.p7m", "enveloped-data", dana()))
                .isInstanceOf(NoMatchingKeyException.class).hasMessageContaining("Sample LAMPS RSA Certification Authority");
    }

    private VerificationResult verifyOpaque(String name, String from, List<X509Certificate> anchors) throws Exception {
        return crypto.verify(smime(from, "signed-data", vector(name)), VerificationPolicy.trusting(anchors));
    }

    @Test
    void verifyShouldAcceptAliceRsaSignatureWithHerCertificateAsAnchor() throws Exception {
        X509Certificate alice = certificate("lamps-alice.crt");

        VerificationResult result = verifyOpaque("signedByAliceRSA.p7m", "alice@smime.example", List.of(alice));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(result.signerAddresses()).containsExactly("alice@smime.example");
        assertThat(TestMessages.firstText(result.content().orElseThrow())).isEqualTo(SAMPLE);
    }

    @Test
    void verifyShouldAcceptAliceRsaPssSignature() throws Exception {
        VerificationResult result = verifyOpaque("signedByAliceRSAPSS.p7m", "alice@smime.example",
                List.of(certificate("lamps-alice.crt")));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldAcceptCarlosEd25519Signature() throws Exception {
        VerificationResult result = verifyOpaque("signedByCarlosEd25519.p7m", "carlos@smime.example",
                List.of(certificate("lamps-carlos.crt")));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(TestMessages.firstText(result.content().orElseThrow())).isEqualTo(SAMPLE);
    }

    @Test
    void verifyShouldReportUntrustedButHarvestCertificateWithoutAnchor() throws Exception {
        for (String name : List.of("signedByAliceRSA.p7m", "signedByAliceRSAPSS.p7m", "signedByCarlosEd25519.p7m")) {
            String from = name.contains("Carlos") ? "carlos@smime.example" : "alice@smime.example";
            VerificationResult result = verifyOpaque(name, from, List.of());
            assertThat(result.status()).as(name).isEqualTo(SignatureStatus.UNTRUSTED);
            assertThat(result.certificatesToHarvest()).as(name).hasSize(1);
        }
    }

    @Test
    void verifyShouldReportSignerMismatchWhenVectorArrivesFromAnotherAddress() throws Exception {
        VerificationResult result = verifyOpaque("signedByAliceRSA.p7m", "mallory@smime.example",
                List.of(certificate("lamps-alice.crt")));

        assertThat(result.status()).isEqualTo(SignatureStatus.SIGNER_MISMATCH);
    }

    @Test
    void verifyShouldReportConflictingSignersForAliceAndCarlosWhenTheirCertificatesAreKnown() throws Exception {
        List<X509Certificate> both = List.of(certificate("lamps-alice.crt"), certificate("lamps-carlos.crt"));
        VerificationPolicy policy = VerificationPolicy.trusting(both).withKnownCertificates(both);

        VerificationResult result = crypto.verify(smime("alice@smime.example", "signed-data",
                vector("signedByAliceAndCarlosNoCerts.p7m")), policy);

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.CONFLICTING_SIGNERS);
    }

    @Test
    void verifyShouldReportNoSignerForCertificatelessSignaturesWhenCertificatesAreUnknown() throws Exception {
        // NO_SIGNER ranks above CONFLICTING_SIGNERS: unresolvable signers are the more fundamental problem.
        VerificationResult result = crypto.verify(smime("alice@smime.example", "signed-data",
                vector("signedByAliceAndCarlosNoCerts.p7m")), VerificationPolicy.trusting(List.of()));

        assertThat(result.status()).isEqualTo(SignatureStatus.NO_SIGNER);
    }

    @Test
    void verifyShouldAcceptCarlosDetachedSignatureOverSuppliedContent() throws Exception {
        byte[] content = SAMPLE.getBytes(StandardCharsets.US_ASCII);
        MimeMessage message = SignedMessageForge.multipartSigned("From: carlos@smime.example\r\n", content,
                vector("signedByCarlosDetached.p7m"));

        VerificationResult result = crypto.verify(message, VerificationPolicy.trusting(List.of(certificate("lamps-carlos.crt"))));

        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void verifyShouldReportBadSignatureForCarlosDetachedSignatureOverOtherContent() throws Exception {
        MimeMessage message = SignedMessageForge.multipartSigned("From: carlos@smime.example\r\n",
                "This is some other content.".getBytes(StandardCharsets.US_ASCII), vector("signedByCarlosDetached.p7m"));

        VerificationResult result = crypto.verify(message, VerificationPolicy.trusting(List.of(certificate("lamps-carlos.crt"))));

        assertThat(result.status()).isEqualTo(SignatureStatus.BAD_SIGNATURE);
    }

    @Test
    void ourEncryptionToBobAndDanaShouldDecryptWithTheirKeys() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("to the lamps"),
                List.of(bob().certificate(), dana().certificate()), EncryptionPolicy.DEFAULT);

        assertThat(TestMessages.firstText(crypto.decrypt(encrypted, List.of(bob())).message())).isEqualTo("to the lamps");
        assertThat(TestMessages.firstText(crypto.decrypt(encrypted, List.of(dana())).message())).isEqualTo("to the lamps");
    }

    @Test
    void openSslShouldDecryptOurEncryptionToBobWithHisKey() throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        byte[] attachment = TestMessages.randomBytes(4096, 9);
        try (OpenSsl openssl = new OpenSsl()) {
            for (EncryptionPolicy.ContentEncryption content : EncryptionPolicy.ContentEncryption.values()) {
                MimeMessage encrypted = crypto.encrypt(TestMessages.withAttachment("bob", attachment),
                        List.of(bob().certificate(), dana().certificate()), EncryptionPolicy.DEFAULT.withContent(content));
                openssl.write("msg.eml", TestMessages.bytes(encrypted));
                OpenSsl.Result result = openssl.run("cms", "-decrypt", "-in", "msg.eml", "-recip",
                        path("lamps-bob.encrypt.crt"), "-inkey", path("lamps-bob.decrypt.p8.pem"), "-out", "out.eml");
                assertThat(result.ok()).as(result.toString()).isTrue();
                assertThat(TestMessages.attachment(new javax.mail.internet.MimeBodyPart(
                        new java.io.ByteArrayInputStream(openssl.read("out.eml"))))).isEqualTo(attachment);
            }
        }
    }

    @Test
    void openSslShouldDecryptOurEncryptionToDanaWhereItSupportsX25519() throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        try (OpenSsl openssl = new OpenSsl()) {
            // OpenSSL 3.0 cannot open the CryptoSys X25519 vector itself; then there is nothing to compare against.
            assumeTrue(openssl.run("cms", "-decrypt", "-inform", "DER", "-in",
                    DIRECTORY.resolve("binary-files/encryptedForBobAndDana.p7m").toString(), "-recip",
                    path("lamps-dana.encrypt.crt"), "-inkey", path("lamps-dana.decrypt.p8.pem")).ok(),
                    "this OpenSSL has no X25519 CMS key agreement");
            MimeMessage encrypted = crypto.encrypt(TestMessages.text("dana"), List.of(dana().certificate()),
                    EncryptionPolicy.DEFAULT);
            openssl.write("msg.eml", TestMessages.bytes(encrypted));
            OpenSsl.Result result = openssl.run("cms", "-decrypt", "-in", "msg.eml", "-recip", path("lamps-dana.encrypt.crt"),
                    "-inkey", path("lamps-dana.decrypt.p8.pem"));
            assertThat(result.ok()).as(result.toString()).isTrue();
        }
    }

    @Test
    void decryptShouldOpenOpenSslOaepEncryptionToBob() throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        byte[] attachment = TestMessages.randomBytes(4096, 10);
        try (OpenSsl openssl = new OpenSsl()) {
            openssl.write("inner.eml", OpenSslInteropTest.innerEntity(TestMessages.withAttachment("for bob", attachment)));
            for (String cipher : List.of("-aes-256-gcm", "-aes-256-cbc")) {
                OpenSsl.Result result = openssl.run("cms", "-encrypt", "-binary", cipher, "-in", "inner.eml", "-out", "enc.eml",
                        "-recip", path("lamps-bob.encrypt.crt"), "-keyopt", "rsa_padding_mode:oaep");
                assertThat(result.ok()).as(result.toString()).isTrue();

                DecryptionResult decrypted = crypto.decrypt(TestMessages.parse(openssl.read("enc.eml")), List.of(dana(), bob()));

                assertThat(TestMessages.attachment(decrypted.message())).isEqualTo(attachment);
                assertThat(decrypted.identity().address()).isEqualTo("bob@smime.example");
            }
        }
    }

    @Test
    void openSslShouldNotBeAbleToEncryptToDanaOrWeShouldDecryptIt() throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        try (OpenSsl openssl = new OpenSsl()) {
            openssl.write("inner.eml", "Content-Type: text/plain\r\n\r\nfor dana\r\n");
            OpenSsl.Result result = openssl.run("cms", "-encrypt", "-binary", "-aes-256-gcm", "-in", "inner.eml",
                    "-out", "enc.eml", path("lamps-dana.encrypt.crt"));
            // OpenSSL 3.0 refuses ("operation not supported for this keytype"); newer versions must interoperate.
            assumeTrue(result.ok(), "this OpenSSL cannot encrypt to X25519 in CMS: " + result.stderr());
            assertThat(TestMessages.firstText(crypto.decrypt(TestMessages.parse(openssl.read("enc.eml")), List.of(dana()))
                    .message())).isEqualTo("for dana\r\n");
        }
    }

    private static String path(String name) {
        return DIRECTORY.resolve("certs-and-keys").resolve(name).toString();
    }
}
