package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

/**
 * The PGP/MIME payload read where it lies in the mail (no transfer encoding, as every implementation sends armor)
 * and, when a sender did transfer-encode it, decoded first as before; a large mail comes back byte for byte.
 */
class PgpMimePayloadTest {
    private final PgpCrypto crypto = new PgpCrypto();

    @Test
    void payloadShouldBeTheRangeOfTheBodyTheArmorOccupies() throws Exception {
        OpenPGPKey bob = PgpCryptoTest.bcKey(4, TestMessages.TO);
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("in place"), List.of(bob.toCertificate()), Optional.empty(), null);

        ByteSlice payload = PgpMime.encryptedPayloadInPlace(encrypted);

        String armored = new String(payload.toArray(), StandardCharsets.US_ASCII);
        assertThat(armored).startsWith(PgpMime.BEGIN_MESSAGE + "\r\n").endsWith(PgpMime.END_MESSAGE + "\r\n");
        assertThat(payload.length()).isLessThan(payload.bytes().length);
    }

    @Test
    void payloadUnderATransferEncodingShouldBeDecodedBeforeDecryption() throws Exception {
        OpenPGPKey bob = PgpCryptoTest.bcKey(4, TestMessages.TO);
        MimeMessage encrypted = crypto.encrypt(TestMessages.text("transfer-encoded armor"), List.of(bob.toCertificate()),
            Optional.empty(), null);
        String armored = new String(PgpMime.encryptedPayload(encrypted), StandardCharsets.US_ASCII);
        MimeMessage base64 = TestMessages.parse("From: " + TestMessages.FROM + "\r\nTo: " + TestMessages.TO
            + "\r\nSubject: b64\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
            + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(armored.getBytes(StandardCharsets.US_ASCII)) + "\r\n--b1--\r\n");

        assertThat(new String(PgpMime.encryptedPayload(base64), StandardCharsets.US_ASCII)).isEqualTo(armored);
        PgpDecryptionResult result = crypto.decrypt(base64, List.of(PgpCryptoTest.managed(bob, TestMessages.TO)), null);
        assertThat(TestMessages.firstText(result.message())).contains("transfer-encoded armor");
    }

    @Test
    void largeAttachmentShouldComeBackByteForByte() throws Exception {
        OpenPGPKey bob = PgpCryptoTest.bcKey(4, TestMessages.TO);
        byte[] attachment = TestMessages.randomBytes((1 << 20) + 3, 77);
        MimeMessage original = TestMessages.withAttachment("the report", attachment);
        MimeMessage encrypted = crypto.encrypt(original, List.of(bob.toCertificate()), Optional.empty(),
            PgpEncryptionPolicy.DEFAULT.withHeaders(HeaderProtection.OFF));

        PgpDecryptionResult result = crypto.decrypt(encrypted, List.of(PgpCryptoTest.managed(bob, TestMessages.TO)), null);

        assertThat(TestMessages.attachment(result.message())).isEqualTo(attachment);
        assertThat(TestMessages.firstText(result.message())).contains("the report");
        assertThat(result.message().getSubject()).isEqualTo(original.getSubject());
        assertThat(MimeEntities.rawBody(result.message())).isEqualTo(MimeEntities.rawBody(original));
    }
}
