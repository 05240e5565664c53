package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.crypto.EncryptionPolicy.RsaKeyTransport;
import org.sealgate.keys.IssueRequest;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.keys.KeyType;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class EncryptDecryptTest {
    private final SmimeCrypto crypto = new SmimeCrypto();

    static Stream<Arguments> recipientsAndPolicies() {
        return Stream.of(
                Arguments.of("RSA OAEP", TestPki.aliceRsa(), EncryptionPolicy.DEFAULT),
                Arguments.of("RSA PKCS#1 v1.5", TestPki.aliceRsa(), EncryptionPolicy.DEFAULT.withRsa(RsaKeyTransport.PKCS1_V15)),
                Arguments.of("RSA OAEP CBC", TestPki.aliceRsa(), EncryptionPolicy.DEFAULT.withContent(ContentEncryption.AES256_CBC)),
                Arguments.of("EC P-256", TestPki.bobEc(), EncryptionPolicy.DEFAULT),
                Arguments.of("EC P-256 CBC", TestPki.bobEc(), EncryptionPolicy.DEFAULT.withContent(ContentEncryption.AES256_CBC)),
                Arguments.of("X25519", TestPki.carolX25519(), EncryptionPolicy.DEFAULT),
                Arguments.of("X25519 CBC", TestPki.carolX25519(), EncryptionPolicy.DEFAULT.withContent(ContentEncryption.AES256_CBC)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipientsAndPolicies")
    void decryptShouldRestoreAttachmentBytesExactlyForEveryKeyType(String name, IssuedIdentity recipient,
                                                                   EncryptionPolicy policy) throws Exception {
        byte[] attachment = TestMessages.randomBytes(20_000, 1);
        MimeMessage original = TestMessages.withAttachment("hello", attachment);

        MimeMessage encrypted = crypto.encrypt(original, List.of(recipient.certificate()), policy);
        DecryptionResult result = crypto.decrypt(TestMessages.parse(TestMessages.bytes(encrypted)),
                List.of(TestPki.managed(TestPki.daveEd25519()), TestPki.managed(recipient)));

        assertThat(TestMessages.attachment(result.message())).isEqualTo(attachment);
        assertThat(TestMessages.firstText(result.message())).isEqualTo("hello");
        assertThat(result.identity().certificate()).isEqualTo(recipient.certificate());
        boolean gcm = policy.content() == ContentEncryption.AES256_GCM;
        assertThat(result.contentAlgorithm()).isEqualTo(gcm ? "AES-256-GCM" : "AES-256-CBC");
        assertThat(result.integrityProtected()).isEqualTo(gcm);
    }

    @Test
    void encryptShouldUseAuthEnvelopedDataAndKeepNonContentHeaders() throws Exception {
        MimeMessage original = TestMessages.text("secret");

        MimeMessage encrypted = crypto.encrypt(original, List.of(TestPki.bobEc().certificate()), EncryptionPolicy.DEFAULT);

        assertThat(encrypted.getContentType())
                .isEqualTo("application/pkcs7-mime; smime-type=authEnveloped-data; name=\"smime.p7m\"");
        assertThat(encrypted.getEncoding()).isEqualTo("base64");
        assertThat(encrypted.getHeader("Content-Disposition", null)).isEqualTo("attachment; filename=\"smime.p7m\"");
        assertThat(encrypted.getSubject()).isEqualTo(original.getSubject());
        assertThat(encrypted.getMessageID()).isEqualTo(original.getMessageID());
        assertThat(encrypted.getHeader("From", null)).isEqualTo(original.getHeader("From", null));
        assertThat(encrypted.getHeader("To", null)).isEqualTo(original.getHeader("To", null));
        assertThat(new String(TestMessages.bytes(encrypted), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(SmimeCrypto.isEncrypted(encrypted)).isTrue();
        assertThat(SmimeCrypto.isEncrypted(original)).isFalse();
    }

    @Test
    void encryptWithCbcPolicyShouldProduceEnvelopedData() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("x"), List.of(TestPki.bobEc().certificate()),
                EncryptionPolicy.DEFAULT.withContent(ContentEncryption.AES256_CBC));

        assertThat(encrypted.getContentType()).isEqualTo("application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"");
    }

    @Test
    void decryptShouldKeepOuterHeadersAndInnerEntityByteForByte() throws Exception {
        MimeMessage original = TestMessages.alternative("plain ✓", "<p>rich</p>");
        byte[] originalBody = TestMessages.readAll(original.getRawInputStream());

        MimeMessage encrypted = crypto.encrypt(original, List.of(TestPki.bobEc().certificate()), EncryptionPolicy.DEFAULT);
        DecryptionResult result = crypto.decrypt(encrypted, List.of(TestPki.managed(TestPki.bobEc())));

        assertThat(TestMessages.readAll(result.message().getRawInputStream())).isEqualTo(originalBody);
        assertThat(result.message().getContentType()).isEqualTo(original.getContentType());
        assertThat(result.message().getSubject()).isEqualTo(original.getSubject());
        assertThat(result.message().getMessageID()).isEqualTo(original.getMessageID());
    }

    @Test
    void encryptShouldSupportSeveralRecipientsOfDifferentKeyTypes() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("to all"), List.of(TestPki.aliceRsa().certificate(),
                TestPki.bobEc().certificate(), TestPki.carolX25519().certificate()), EncryptionPolicy.DEFAULT);

        for (IssuedIdentity recipient : List.of(TestPki.aliceRsa(), TestPki.bobEc(), TestPki.carolX25519())) {
            DecryptionResult result = crypto.decrypt(encrypted, List.of(TestPki.managed(recipient)));
            assertThat(TestMessages.firstText(result.message())).isEqualTo("to all");
        }
    }

    @Test
    void encryptShouldFailForSigningOnlyKeyType() {
        assertThatThrownBy(() -> crypto.encrypt(TestMessages.text("x"), List.of(TestPki.daveEd25519().certificate()),
                EncryptionPolicy.DEFAULT))
                .isInstanceOf(CryptoException.class).hasMessageContaining("does not support encryption");
    }

    @Test
    void encryptShouldFailWithoutRecipients() {
        assertThatThrownBy(() -> crypto.encrypt(TestMessages.text("x"), List.of(), EncryptionPolicy.DEFAULT))
                .isInstanceOf(CryptoException.class).hasMessageContaining("no recipient");
    }

    @Test
    void decryptShouldThrowNoMatchingKeyWhenKeyIsNotAmongRecipients() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("x"), List.of(TestPki.bobEc().certificate()),
                EncryptionPolicy.DEFAULT);

        assertThatThrownBy(() -> crypto.decrypt(encrypted, List.of(TestPki.managed(TestPki.aliceRsa()))))
                .isInstanceOf(NoMatchingKeyException.class)
                .hasMessageContaining("key agreement with issuer")
                .satisfies(e -> assertThat(((NoMatchingKeyException) e).recipientIdentifiers()).hasSize(1));
    }

    @Test
    void decryptShouldFailWithoutPlaintextWhenGcmCiphertextIsTampered() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("integrity matters"),
                List.of(TestPki.bobEc().certificate()), EncryptionPolicy.DEFAULT);
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        cms[cms.length - 40] ^= 0x01; // inside the encrypted content, before the 16-byte MAC

        assertThatThrownBy(() -> crypto.decrypt(withCms(encrypted, cms), List.of(TestPki.managed(TestPki.bobEc()))))
                .isInstanceOf(CryptoException.class)
                .isNotInstanceOf(NoMatchingKeyException.class)
                .hasMessageContaining("integrity");
    }

    @Test
    void decryptShouldFailWhenGcmMacIsTampered() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("integrity matters"),
                List.of(TestPki.bobEc().certificate()), EncryptionPolicy.DEFAULT);
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        byte[] mac = new org.bouncycastle.cms.CMSAuthEnvelopedData(cms).getMac();
        int macAt = lastIndexOf(cms, mac);
        assertThat(macAt).isPositive();
        cms[macAt + mac.length - 1] ^= 0x01;

        assertThatThrownBy(() -> crypto.decrypt(withCms(encrypted, cms), List.of(TestPki.managed(TestPki.bobEc()))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("integrity");
    }

    @Test
    void decryptShouldFailOnTruncatedCms() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("x"), List.of(TestPki.bobEc().certificate()),
                EncryptionPolicy.DEFAULT);
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        byte[] truncated = java.util.Arrays.copyOf(cms, cms.length / 2);

        assertThatThrownBy(() -> crypto.decrypt(withCms(encrypted, truncated), List.of(TestPki.managed(TestPki.bobEc()))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("garbled or truncated");
    }

    @Test
    void decryptShouldFailOnGarbageBase64() {
        MimeMessage garbage = TestMessages.parse("From: a@b.test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "!!!! not base64 at all ####\r\nAAAA\r\n");

        assertThatThrownBy(() -> crypto.decrypt(garbage, List.of(TestPki.managed(TestPki.bobEc()))))
                .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
    }

    @Test
    void decryptShouldFailWhenPkcs7MimeCarriesSignedDataInsteadOfEnvelopedData() throws Exception {
        byte[] signedData = SignedMessageForge.detachedSignature("x".getBytes(), List.of(TestPki.aliceRsa()));
        MimeMessage lying = withCms(TestMessages.parse("From: a@b.test\r\nContent-Type: application/pkcs7-mime; "
                + "smime-type=enveloped-data\r\n\r\n"), signedData);

        assertThatThrownBy(() -> crypto.decrypt(lying, List.of(TestPki.managed(TestPki.aliceRsa()))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not (auth)enveloped data");
    }

    @Test
    void decryptShouldRefuseMessagesThatAreNotEncrypted() {
        assertThatThrownBy(() -> crypto.decrypt(TestMessages.text("x"), List.of(TestPki.managed(TestPki.bobEc()))))
                .isInstanceOf(CryptoException.class).hasMessageContaining("not an encrypted S/MIME message");
    }

    @Test
    void encryptToOaepOnlyCertificateShouldUseOaepEvenWhenPolicySaysPkcs1() throws Exception {
        IssuedIdentity alice = TestPki.aliceRsa();
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("x"), List.of(alice.certificate()),
                EncryptionPolicy.DEFAULT.withRsa(RsaKeyTransport.PKCS1_V15));
        assertThat(crypto.decrypt(encrypted, List.of(TestPki.managed(alice))).contentAlgorithm()).isEqualTo("AES-256-GCM");
    }

    @Test
    void issuedX25519CertificateShouldBeSignedByTheCaKey() throws Exception {
        IssuedIdentity x = TestPki.ca().issue(IssueRequest.forEmail("x@partner.test", KeyType.X25519));
        x.certificate().verify(TestPki.ca().certificate().getPublicKey());
        assertThat(x.chain()).containsExactly(x.certificate(), TestPki.ca().certificate());
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    static MimeMessage withCms(MimeMessage template, byte[] cms) throws Exception {
        String header = "From: " + template.getHeader("From", null) + "\r\nMIME-Version: 1.0\r\nContent-Type: "
                + template.getContentType() + "\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        return TestMessages.parse(header + Base64.getMimeEncoder().encodeToString(cms) + "\r\n");
    }
}
