package org.sealgate.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

/**
 * The messages the facade returns (decrypted, unwrapped) save a header change without walking their multipart tree,
 * and stay byte for byte what they were; a body changed through JavaMail's object model is saved as JavaMail does.
 */
class UnwrappedMessageSaveTest {
    private static final String HEADERS = "From: bob@partner.test\r\nTo: alice@sealgate.test\r\nSubject: hi\r\n"
        + "Message-ID: <m-1@partner.test>\r\nDate: Sun, 6 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n";
    // A signed-looking body: a preamble, a part without Content-Transfer-Encoding, a nested multipart, odd spacing.
    private static final String BODY = "This is a preamble.\r\n--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n"
        + "--inner\r\nContent-Type: text/plain\r\n\r\nhello  \r\n--inner\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--inner--\r\n--outer\r\nContent-Type: application/pkcs7-signature\r\n\r\n"
        + "c2ln\r\n--outer--\r\n";
    private static final String MESSAGE = HEADERS
        + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=outer\r\n\r\n" + BODY;

    @Test
    void aHeaderChangeShouldKeepTheBodyAndTheMessageIdByteForByte() throws Exception {
        MimeMessage message = MimeEntities.message(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));

        message.setHeader("X-Sealgate-Signature", "valid");
        message.setSubject("[signed OK] hi");
        message.saveChanges();

        String written = new String(TestMessages.bytes(message), StandardCharsets.ISO_8859_1);
        assertThat(written).endsWith("\r\n\r\n" + BODY).contains("X-Sealgate-Signature: valid\r\n")
            .contains("Subject: [signed OK] hi\r\n").contains("Message-ID: <m-1@partner.test>\r\n");
    }

    @Test
    void aHeaderChangeShouldNotParseTheMultipart() throws Exception {
        // No start boundary: JavaMail's multipart parser refuses this body, so a save that walked the tree would throw.
        String broken = MESSAGE.replace(BODY, "no boundary here\r\n");
        MimeMessage stock = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(broken.getBytes(StandardCharsets.ISO_8859_1)));
        stock.setHeader("X-Test", "1");
        assertThatThrownBy(stock::saveChanges).isInstanceOf(MessagingException.class);

        MimeMessage ours = MimeEntities.message(broken.getBytes(StandardCharsets.ISO_8859_1));
        ours.setHeader("X-Test", "1");
        ours.saveChanges();

        assertThat(new String(TestMessages.bytes(ours), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\nno boundary here\r\n");
    }

    @Test
    void lookingForNestedEncryptionShouldLeaveTheMessageAsParsed() throws Exception {
        MimeMessage message = MimeEntities.message(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(NestedEncryption.find(message)).isEmpty();

        // No multipart cached in the message: the next save stays a header-only save (see the test above).
        java.lang.reflect.Field cached = MimeMessage.class.getDeclaredField("cachedContent");
        cached.setAccessible(true);
        assertThat(cached.get(message)).isNull();
        message.setHeader("X-Test", "1");
        message.saveChanges();
        assertThat(new String(TestMessages.bytes(message), StandardCharsets.ISO_8859_1)).endsWith("\r\n\r\n" + BODY);
    }

    @Test
    void aPartChangedThroughGetContentShouldBeSaved() throws Exception {
        MimeMessage message = MimeEntities.message(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));

        MimeMultipart outer = (MimeMultipart) message.getContent();
        ((MimeBodyPart) outer.getBodyPart(1)).setHeader("X-Changed", "yes");
        message.saveChanges();

        assertThat(new String(TestMessages.bytes(message), StandardCharsets.ISO_8859_1)).contains("X-Changed: yes");
    }

    @Test
    void aReplacedBodyShouldBeSavedAsJavaMailDoes() throws Exception {
        MimeMessage message = MimeEntities.message(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));

        message.setText("replaced", "UTF-8");
        message.saveChanges();

        String written = new String(TestMessages.bytes(message), StandardCharsets.ISO_8859_1);
        assertThat(written).contains("Content-Type: text/plain; charset=UTF-8").contains("Content-Transfer-Encoding: 7bit")
            .endsWith("\r\n\r\nreplaced").doesNotContain("--outer");
    }
}
