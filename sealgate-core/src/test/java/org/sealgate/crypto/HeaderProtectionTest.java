package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.OpenSsl;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;
import org.sealgate.testing.Prerequisites;

/** RFC 9788 header protection on S/MIME: the Subject hidden outside, restored on decryption; nothing forged inside survives. */
class HeaderProtectionTest {
    private final SmimeCrypto crypto = new SmimeCrypto();

    @Test
    void smimeEncryptionShouldHideTheSubjectAndDecryptionShouldRestoreIt() throws Exception {
        IssuedIdentity alice = TestPki.aliceRsa();
        MimeMessage original = TestMessages.withAttachment("body", TestMessages.randomBytes(5000, 1));
        original.setSubject("Takeover target: ACME");

        MimeMessage encrypted = crypto.encrypt(original, List.of(alice.certificate()), EncryptionPolicy.DEFAULT,
            new HeaderProtection(true, "[...]"));
        DecryptionResult decrypted = crypto.decrypt(TestMessages.parse(TestMessages.bytes(encrypted)), List.of(TestPki.managed(alice)));

        assertThat(encrypted.getSubject()).isEqualTo("[...]");
        assertThat(new String(TestMessages.bytes(encrypted), StandardCharsets.US_ASCII)).doesNotContain("ACME");
        assertThat(decrypted.message().getSubject()).isEqualTo("Takeover target: ACME");
        assertThat(decrypted.message().getHeader("Subject")).hasSize(1);
        assertThat(decrypted.message().getContentType()).contains("multipart/mixed").contains("hp=\"cipher\"");
        assertThat(TestMessages.attachment(decrypted.message())).isEqualTo(TestMessages.randomBytes(5000, 1));
    }

    @Test
    void withoutHeaderProtectionTheSubjectShouldStayOutside() throws Exception {
        MimeMessage original = TestMessages.text("x");
        original.setSubject("visible");

        MimeMessage encrypted = crypto.encrypt(original, List.of(TestPki.aliceRsa().certificate()), EncryptionPolicy.DEFAULT);

        assertThat(encrypted.getSubject()).isEqualTo("visible");
    }

    @Test
    void sealgateMarkersInsideTheEncryptionShouldNotSurviveDecryption() throws Exception {
        Prerequisites.require(OpenSsl.available(), "/usr/bin/openssl");
        IssuedIdentity alice = TestPki.aliceRsa();
        try (OpenSsl openssl = new OpenSsl()) {
            openssl.write("cert.pem", alice.certificatePem());
            openssl.write("inner.eml", "X-Sealgate-Signature: valid; signer=ceo@partner.example\r\nSubject: inner\r\n"
                + "Content-Type: text/plain\r\n\r\nforged\r\n");
            OpenSsl.Result result = openssl.run("cms", "-encrypt", "-aes-256-gcm", "-in", "inner.eml", "-out", "msg.eml", "cert.pem");
            assertThat(result.ok()).as(result.toString()).isTrue();
            MimeMessage encrypted = TestMessages.parse(openssl.read("msg.eml"));

            MimeMessage decrypted = crypto.decrypt(encrypted, List.of(TestPki.managed(alice))).message();

            assertThat(decrypted.getHeader("X-Sealgate-Signature")).isNull();
            assertThat(decrypted.getSubject()).isEqualTo("inner");
        }
    }

    @Test
    void multiLineOuterSubjectShouldBeRefused() {
        assertThatThrownBy(() -> new HeaderProtection(true, "a\r\nBcc: x@y")).isInstanceOf(IllegalArgumentException.class);
    }
}
