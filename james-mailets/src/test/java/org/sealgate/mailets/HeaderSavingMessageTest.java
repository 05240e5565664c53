package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.server.core.MimeMessageWrapper;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.testing.TestMessages;

/**
 * The form in which the decrypting and verifying mailets hold a mail's message: a header change saves without parsing
 * the body, the Message-ID and the body bytes stay, the save is not repeated when the mail is written out, and James
 * does not copy it once more; a body changed through JavaMail's object model is saved as James saves it.
 */
class HeaderSavingMessageTest {
    private static final String HEADERS = "From: bob@partner.test\r\nTo: alice@sealgate.test\r\nSubject: hi\r\n"
        + "Message-ID: <m-1@partner.test>\r\nDate: Sun, 6 Dec 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n";
    // A signed-looking body: a preamble, a part without Content-Transfer-Encoding, a nested multipart, odd spacing.
    private static final String BODY = "This is a preamble.\r\n--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n"
        + "--inner\r\nContent-Type: text/plain\r\n\r\nhello  \r\n--inner\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n--inner--\r\n--outer\r\nContent-Type: application/pkcs7-signature\r\n\r\n"
        + "c2ln\r\n--outer--\r\n";
    private static final String CONTENT_TYPE =
        "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=outer\r\n";
    private static final String MESSAGE = HEADERS + CONTENT_TYPE + "\r\n" + BODY;
    // No start boundary: JavaMail's multipart parser refuses this body, so a save that walks the tree throws.
    private static final String UNPARSEABLE = HEADERS + CONTENT_TYPE + "\r\nno boundary here\r\n";

    private static Mail mail(String raw) throws MessagingException {
        return MailetFixtures.mail(TestMessages.parse(raw), "bob@partner.test", "alice@sealgate.test");
    }

    private static String written(MimeMessage message) {
        return new String(TestMessages.bytes(message), StandardCharsets.ISO_8859_1);
    }

    private static boolean saved(MimeMessage message) throws ReflectiveOperationException {
        Field saved = MimeMessage.class.getDeclaredField("saved");
        saved.setAccessible(true);
        return saved.getBoolean(message);
    }

    @Test
    void jamesWrapperShouldParseTheBodyOnSaveAndStayUnsaved() throws Exception {
        // What the mailets met before: the reason for this class.
        MimeMessage james = mail(MESSAGE).getMessage();
        assertThat(james).isInstanceOf(MimeMessageWrapper.class);
        james.setHeader("X-Test", "1");
        james.saveChanges();
        assertThat(saved(james)).isFalse();

        MimeMessage broken = mail(UNPARSEABLE).getMessage();
        broken.setHeader("X-Test", "1");
        assertThatThrownBy(broken::saveChanges).isInstanceOf(MessagingException.class);
    }

    @Test
    void headerChangeShouldKeepBodyAndMessageIdByteForByte() throws Exception {
        Mail mail = mail(MESSAGE);
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());

        message.setHeader("X-Sealgate-Signature", "valid");
        message.setSubject("[signed OK] hi");
        message.saveChanges();

        assertThat(written(mail.getMessage())).endsWith("\r\n\r\n" + BODY).contains("X-Sealgate-Signature: valid\r\n")
            .contains("Subject: [signed OK] hi\r\n").contains("Message-ID: <m-1@partner.test>\r\n")
            .contains("Date: Sun, 6 Dec 2026 09:00:00 +0000\r\n");
    }

    @Test
    void headerChangeShouldSaveWithoutParsingTheBody() throws Exception {
        Mail mail = mail(UNPARSEABLE);
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());

        message.setHeader("X-Test", "1");
        message.saveChanges();

        assertThat(saved(message)).isTrue();
        assertThat(written(message)).contains("X-Test: 1\r\n").endsWith("\r\n\r\nno boundary here\r\n");
    }

    @Test
    void saveShouldLeaveTheMessageSavedSoWritingItOutDoesNotSaveAgain() throws Exception {
        Mail mail = mail(MESSAGE);
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());
        message.setHeader("X-Test", "1");
        assertThat(saved(message)).isFalse();

        message.saveChanges();

        assertThat(saved(message)).isTrue();
        assertThat(((MimeMessageWrapper) message).isHeaderModified()).isTrue();
        assertThat(((MimeMessageWrapper) message).isBodyModified()).isFalse();
    }

    @Test
    void missingMessageIdAndDateShouldBeAddedAsJamesDoes() throws Exception {
        Mail mail = mail(MESSAGE.replace("Message-ID: <m-1@partner.test>\r\n", "")
            .replace("Date: Sun, 6 Dec 2026 09:00:00 +0000\r\n", ""));
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());

        message.setHeader("X-Test", "1");
        message.saveChanges();

        assertThat(message.getMessageID()).isNotBlank();
        assertThat(message.getSentDate()).isNotNull();
        assertThat(written(message)).endsWith("\r\n\r\n" + BODY);
    }

    @Test
    void mailShouldHoldTheMessageItselfNotACopy() throws Exception {
        Mail mail = mail(MESSAGE);

        MimeMessage installed = HeaderSavingMessage.install(mail, mail.getMessage());

        assertThat(mail.getMessage()).isSameAs(installed);
        assertThat(HeaderSavingMessage.install(mail, installed)).isSameAs(installed);
        assertThat(mail.getMessage()).isSameAs(installed);
    }

    @Test
    void installShouldCarryTheMessageAsWrittenIncludingUnsavedHeaderChanges() throws Exception {
        Mail mail = mail(MESSAGE);
        MimeMessage other = TestMessages.parse(MESSAGE.replace("Subject: hi", "Subject: other"));

        MimeMessage installed = HeaderSavingMessage.install(mail, other);

        assertThat(installed.getSubject()).isEqualTo("other");
        assertThat(written(installed)).isEqualTo(written(TestMessages.parse(MESSAGE.replace("Subject: hi", "Subject: other"))));
    }

    @Test
    void decryptedMailShouldBeHeldInThisFormAndSavedWithItsBodyAsDecrypted(@TempDir java.nio.file.Path dir) throws Exception {
        org.sealgate.crypto.SmimeCrypto crypto = new org.sealgate.crypto.SmimeCrypto();
        org.sealgate.keys.FileKeyDirectory keys = org.sealgate.keys.FileKeyDirectory.open(dir);
        keys.addManagedIdentity(org.sealgate.testing.TestPki.aliceRsa().toManagedIdentity());
        SmimeDecrypt decrypt = new SmimeDecrypt(crypto, keys);
        decrypt.init(MailetFixtures.config(org.apache.mailet.base.test.FakeMailContext.defaultContext(),
            "failureProcessor", "quarantine", "splitProcessor", "inbound"));
        MimeMessage plain = TestMessages.withAttachment("hello", TestMessages.randomBytes(50_000, 7));
        MimeMessage encrypted = TestMessages.parse(TestMessages.bytes(crypto.encrypt(plain,
            List.of(org.sealgate.testing.TestPki.aliceRsa().certificate()), org.sealgate.crypto.EncryptionPolicy.DEFAULT)));
        String inside = written(crypto.decrypt(encrypted, keys.managedIdentities()).message());
        Mail mail = MailetFixtures.mail(encrypted, "bob@partner.test", TestMessages.FROM);

        decrypt.service(mail);

        assertThat(mail.getMessage()).isInstanceOf(HeaderSavingMessage.class);
        assertThat(saved(mail.getMessage())).isTrue();
        String delivered = written(mail.getMessage());
        assertThat(delivered).contains("X-Sealgate-Decryption: decrypted; algorithm=AES-256-GCM\r\n");
        assertThat(delivered.substring(delivered.indexOf("\r\n\r\n"))).isEqualTo(inside.substring(inside.indexOf("\r\n\r\n")));
    }

    @Test
    void aBodyOverTheLimitShouldStayWithJamesWrapper() throws Exception {
        String large = HEADERS + "Content-Type: text/plain\r\n\r\n" + "x".repeat(100).concat("\r\n")
            .repeat(HeaderSavingMessage.MAX_HELD_BYTES / 102 + 1);
        Mail mail = mail(large);
        MimeMessage james = mail.getMessage();

        MimeMessage installed = HeaderSavingMessage.install(mail, james);

        assertThat(installed).isSameAs(james).isSameAs(mail.getMessage()).isNotInstanceOf(HeaderSavingMessage.class);
        installed.setHeader("X-Test", "1");
        installed.saveChanges();
        assertThat(written(installed)).contains("X-Test: 1\r\n").contains("Message-ID: <m-1@partner.test>\r\n")
            .hasSize(large.length() + "X-Test: 1\r\n".length());
    }

    @Test
    void aBodyReplacedThroughTheObjectModelShouldBeSaved() throws Exception {
        Mail mail = mail(MESSAGE);
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());

        message.setText("replaced", "UTF-8");
        message.saveChanges();

        assertThat(written(message)).contains("Content-Type: text/plain; charset=UTF-8").endsWith("\r\n\r\nreplaced")
            .doesNotContain("--outer").contains("Message-ID: <m-1@partner.test>\r\n");
    }

    @Test
    void aMultipartHandedOutByGetContentShouldBeSavedAsJamesSavesIt() throws Exception {
        Mail mail = mail(MESSAGE);
        MimeMessage message = HeaderSavingMessage.install(mail, mail.getMessage());

        MimeMultipart outer = (MimeMultipart) message.getContent();
        assertThat(((MimeBodyPart) outer.getBodyPart(1)).getContentType()).startsWith("application/pkcs7-signature");
        message.setHeader("X-Test", "1");
        message.saveChanges();

        // James's save: the tree is parsed (and left as it was); the body is written as it came.
        assertThat(written(message)).contains("X-Test: 1\r\n").endsWith("\r\n\r\n" + BODY);
    }
}
