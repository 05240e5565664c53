package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.EncryptionPolicy.ContentEncryption;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class RoundTripTest {
    private final SmimeCrypto crypto = new SmimeCrypto();
    private final VerificationPolicy trustTestCa = VerificationPolicy.trusting(List.of(TestPki.ca().certificate()));

    @Test
    void signThenEncryptThenDecryptThenVerifyShouldBeValidWithIdenticalAttachment() throws Exception {
        byte[] attachment = TestMessages.randomBytes(50_000, 99);
        MimeMessage original = TestMessages.withAttachment("signed and sealed", attachment);
        for (IssuedIdentity recipient : List.of(TestPki.bobEc(), TestPki.carolX25519(), TestPki.aliceRsa())) {
            for (ContentEncryption content : ContentEncryption.values()) {
                MimeMessage signed = crypto.sign(original, TestPki.managed(TestPki.aliceRsa()));
                MimeMessage encrypted = crypto.encrypt(signed, List.of(recipient.certificate()),
                        EncryptionPolicy.DEFAULT.withContent(content));
                MimeMessage transmitted = TestMessages.parse(TestMessages.bytes(encrypted));

                DecryptionResult decrypted = crypto.decrypt(transmitted, List.of(TestPki.managed(recipient)));
                VerificationResult verified = crypto.verify(decrypted.message(), trustTestCa);

                assertThat(verified.status()).as(verified.detail()).isEqualTo(SignatureStatus.VALID);
                assertThat(TestMessages.attachment(verified.content().orElseThrow())).isEqualTo(attachment);
                assertThat(TestMessages.firstText(decrypted.message())).isEqualTo("signed and sealed");
                assertThat(decrypted.message().getSubject()).isEqualTo(original.getSubject());
                assertThat(decrypted.message().getMessageID()).isEqualTo(original.getMessageID());
            }
        }
    }

    @Test
    void decryptedSignedMessageShouldBeByteIdenticalToTheSignedBody() throws Exception {
        MimeMessage signed = crypto.sign(TestMessages.eightBit(), TestPki.managed(TestPki.aliceRsa()));
        MimeMessage encrypted = crypto.encrypt(signed, List.of(TestPki.bobEc().certificate()), EncryptionPolicy.DEFAULT);

        DecryptionResult decrypted = crypto.decrypt(encrypted, List.of(TestPki.managed(TestPki.bobEc())));

        assertThat(TestMessages.readAll(decrypted.message().getRawInputStream()))
                .isEqualTo(TestMessages.readAll(signed.getRawInputStream()));
        assertThat(decrypted.message().getContentType()).isEqualTo(signed.getContentType());
    }
}
