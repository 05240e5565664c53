package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/**
 * Key-transport (RSA) S/MIME is decrypted on the JDK's AES: the same plaintext as Bouncy Castle's own recipient
 * gives, and integrity kept: a flipped bit in the GCM ciphertext or tag, or a shortened tag, never yields plaintext.
 */
class JdkContentDecryptionTest {
    private final SmimeCrypto crypto = new SmimeCrypto();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"AES256_GCM", "AES256_CBC"})
    void rsaMailShouldDecryptOnTheJdkToWhatBouncyCastleDecrypts(String content) throws Exception {
        byte[] attachment = TestMessages.randomBytes(150_000, 11);
        MimeMessage encrypted = crypto.encrypt(TestMessages.withAttachment("figures", attachment),
            List.of(TestPki.aliceRsa().certificate()), EncryptionPolicy.DEFAULT.withContent(ContentEncryption.valueOf(content)));
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());

        DecryptionResult result = crypto.decrypt(EncryptDecryptTest.withCms(encrypted, cms),
            List.of(TestPki.managed(TestPki.aliceRsa())));

        boolean gcm = content.equals("AES256_GCM");
        RecipientInformation info = (gcm ? new CMSAuthEnvelopedData(cms).getRecipientInfos()
            : new CMSEnvelopedData(cms).getRecipientInfos()).getRecipients().iterator().next();
        byte[] byBouncyCastle = info.getContent(gcm
            ? new JceKeyTransAuthEnvelopedRecipient(TestPki.aliceRsa().keyPair().getPrivate()).setProvider("BC")
            : new JceKeyTransEnvelopedRecipient(TestPki.aliceRsa().keyPair().getPrivate()).setProvider("BC"));
        assertThat(TestMessages.attachment(result.message())).isEqualTo(attachment);
        assertThat(TestMessages.bytes(result.message())).containsSubsequence(tail(byBouncyCastle));
        assertThat(result.integrityProtected()).isEqualTo(gcm);
        assertThat(result.contentAlgorithm()).isEqualTo(gcm ? "AES-256-GCM" : "AES-256-CBC");
    }

    @ParameterizedTest(name = "bit flipped at {0} from the tag's start")
    @ValueSource(ints = {15, 0, -20, -40, -5000})
    void tamperedGcmCiphertextOrTagShouldFailWithoutPlaintext(int fromTag) throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("integrity matters ".repeat(1000)),
            List.of(TestPki.aliceRsa().certificate()), EncryptionPolicy.DEFAULT);
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        byte[] mac = new CMSAuthEnvelopedData(cms).getMac();
        int macAt = lastIndexOf(cms, mac);
        assertThat(macAt).isPositive();
        cms[macAt + fromTag] ^= 0x01; // 0..15: the tag; negative: the ciphertext before it

        assertThatThrownBy(() -> crypto.decrypt(EncryptDecryptTest.withCms(encrypted, cms),
            List.of(TestPki.managed(TestPki.aliceRsa()))))
            .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class)
            .hasMessageContaining("integrity");
    }

    @Test
    void shortenedGcmTagShouldBeRefused() throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("short tags are forgeable"),
            List.of(TestPki.aliceRsa().certificate()), EncryptionPolicy.DEFAULT);
        byte[] cms = TestMessages.readAll(encrypted.getInputStream());
        org.bouncycastle.asn1.cms.ContentInfo info = org.bouncycastle.asn1.cms.ContentInfo.getInstance(cms);
        org.bouncycastle.asn1.cms.AuthEnvelopedData data = org.bouncycastle.asn1.cms.AuthEnvelopedData.getInstance(info.getContent());
        byte[] mac = data.getMac().getOctets();
        org.bouncycastle.asn1.cms.AuthEnvelopedData shortened = new org.bouncycastle.asn1.cms.AuthEnvelopedData(
            data.getOriginatorInfo(), data.getRecipientInfos(), data.getAuthEncryptedContentInfo(), data.getAuthAttrs(),
            new org.bouncycastle.asn1.DEROctetString(java.util.Arrays.copyOf(mac, 8)), data.getUnauthAttrs());
        byte[] forged = new org.bouncycastle.asn1.cms.ContentInfo(info.getContentType(), shortened).getEncoded("DER");

        assertThatThrownBy(() -> crypto.decrypt(EncryptDecryptTest.withCms(encrypted, forged),
            List.of(TestPki.managed(TestPki.aliceRsa()))))
            .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] tail(byte[] bytes) {
        return java.util.Arrays.copyOfRange(bytes, Math.max(0, bytes.length - 2000), bytes.length);
    }
}
