package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

/** Decryption reads the outer headers and the base64 body of a stored message without a detour through writeTo. */
class DecryptOuterHeadersTest {
    private static final String OUTER = "Received: from mx.partner.test (mx.partner.test [198.18.9.1])\r\n"
        + "\tby gw.sealgate.test with ESMTPS; Sun, 6 Dec 2026 09:00:00 +0000\r\n"
        + "From: Bob <bob@partner.test>\r\nTo: alice@sealgate.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
        + "Message-ID: <outer-1@partner.test>\r\nX-Odd:   spaced   value\r\nMIME-Version: 1.0\r\n";
    private final SmimeCrypto crypto = new SmimeCrypto();

    private MimeMessage storedEncrypted(String text) throws Exception {
        MimeMessage encrypted = crypto.encrypt(TestMessages.text(text), List.of(TestPki.aliceRsa().certificate()),
            EncryptionPolicy.DEFAULT);
        String raw = new String(TestMessages.bytes(encrypted), StandardCharsets.ISO_8859_1);
        String content = raw.substring(raw.indexOf("Content-Type:"));
        return TestMessages.parse(OUTER + content);
    }

    @Test
    void decryptShouldKeepEveryOuterNonContentHeaderLineOfAStoredMessageVerbatim() throws Exception {
        MimeMessage stored = storedEncrypted("hello");

        MimeMessage decrypted = crypto.decrypt(stored, List.of(TestPki.managed(TestPki.aliceRsa()))).message();

        String headers = new String(TestMessages.bytes(decrypted), StandardCharsets.ISO_8859_1).split("\r\n\r\n", 2)[0];
        assertThat(headers).startsWith(OUTER.substring(0, OUTER.indexOf("MIME-Version")));
        assertThat(Collections.list(decrypted.getAllHeaderLines())).filteredOn(line -> line.startsWith("Received"))
            .containsExactly("Received: from mx.partner.test (mx.partner.test [198.18.9.1])\r\n"
                + "\tby gw.sealgate.test with ESMTPS; Sun, 6 Dec 2026 09:00:00 +0000");
        assertThat(decrypted.getMessageID()).isEqualTo("<outer-1@partner.test>");
        assertThat(decrypted.getContentType()).startsWith("text/plain");
        assertThat(TestMessages.firstText(decrypted)).startsWith("hello");
    }

    @Test
    void decryptShouldReadABase64BodyWithStrayWhitespaceAndLongLines() throws Exception {
        MimeMessage stored = storedEncrypted("whitespace");
        String raw = new String(TestMessages.bytes(stored), StandardCharsets.ISO_8859_1);
        int body = raw.indexOf("\r\n\r\n") + 4;
        // One long line with blanks sprinkled in: JavaMail's decoder skips them, and so must the fast path.
        String reflowed = raw.substring(0, body) + raw.substring(body).replace("\r\n", " ") + "\r\n";

        MimeMessage decrypted = crypto.decrypt(TestMessages.parse(reflowed), List.of(TestPki.managed(TestPki.aliceRsa())))
            .message();

        assertThat(TestMessages.firstText(decrypted)).startsWith("whitespace");
    }

    @Test
    void decryptShouldFailCleanlyWhenTheBase64BodyIsCutInTheMiddleOfAQuantum() throws Exception {
        MimeMessage stored = storedEncrypted("cut");
        String raw = new String(TestMessages.bytes(stored), StandardCharsets.ISO_8859_1);
        String cut = raw.substring(0, raw.length() - 200) + "A=B\r\n";

        assertThatThrownBy(() -> crypto.decrypt(TestMessages.parse(cut), List.of(TestPki.managed(TestPki.aliceRsa()))))
            .isInstanceOf(CryptoException.class).isNotInstanceOf(NoMatchingKeyException.class);
    }
}
