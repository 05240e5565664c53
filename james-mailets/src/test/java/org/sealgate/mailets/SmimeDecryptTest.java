package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.identity;
import static org.sealgate.mailets.MailetFixtures.mail;
import static org.sealgate.mailets.MailetFixtures.recipients;

import java.nio.file.Path;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class SmimeDecryptTest {
    private static final String ALICE = TestMessages.FROM;
    private static final String ERIN = "erin@sealgate.test";
    private static final String SENDER = "bob@partner.test";
    private static final String SECRET = "The merger closes on Friday. ";

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private SmimeDecrypt mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws MessagingException {
        keys = FileKeyDirectory.open(dir);
        keys.addManagedIdentity(TestPki.aliceRsa().toManagedIdentity());
        keys.addManagedIdentity(identity(ERIN).toManagedIdentity());
        mailet = new SmimeDecrypt(crypto, keys);
        mailet.init(config(context, "failureProcessor", "quarantine", "splitProcessor", "inbound"));
    }

    private MimeMessage encryptedTo(MimeMessage original, IssuedIdentity... recipients) throws Exception {
        return TestMessages.parse(TestMessages.bytes(
            crypto.encrypt(original, MailetFixtures.certificates(recipients), EncryptionPolicy.DEFAULT)));
    }

    @Test
    void initShouldFailWithoutFailureProcessor() {
        assertThatThrownBy(() -> new SmimeDecrypt(crypto, keys).init(config(context, "splitProcessor", "inbound")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("failureProcessor");
    }

    @Test
    void initShouldFailWithoutSplitProcessor() {
        assertThatThrownBy(() -> new SmimeDecrypt(crypto, keys).init(config(context, "failureProcessor", "quarantine")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("splitProcessor");
    }

    @Test
    void decryptShouldLeaveUnencryptedMailUntouched() throws Exception {
        MimeMessage original = TestMessages.text("plain");
        Mail mail = mail(original, SENDER, ALICE);

        mailet.service(mail);

        assertThat(MailetFixtures.bytes(mail)).isEqualTo(TestMessages.bytes(original));
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER)).isNull();
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isNull();
    }

    @Test
    void decryptShouldRestoreTheInnerMimeTreeAndAttachmentBytesForTheRecipientsKey() throws Exception {
        byte[] attachment = TestMessages.randomBytes(30_000, 7);
        MimeMessage original = TestMessages.withAttachment(SECRET, attachment);
        Mail mail = mail(encryptedTo(original, TestPki.aliceRsa()), SENDER, ALICE);

        mailet.service(mail);

        MimeMessage decrypted = mail.getMessage();
        assertThat(decrypted.getContentType()).isEqualTo(original.getContentType());
        assertThat(TestMessages.readAll(decrypted.getRawInputStream()))
            .isEqualTo(TestMessages.readAll(original.getRawInputStream()));
        assertThat(TestMessages.attachment(decrypted)).isEqualTo(attachment);
        assertThat(TestMessages.firstText(decrypted)).isEqualTo(SECRET);
        assertThat(decrypted.getHeader(SmimeDecrypt.DECRYPTION_HEADER, null)).startsWith("decrypted")
            .contains("AES-256-GCM");
        assertThat(decrypted.getMessageID()).isEqualTo(original.getMessageID());
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(context.getSentMails()).isEmpty();
        assertThat(MailetFixtures.event(mail).recipients()).singleElement().satisfies(outcome -> {
            assertThat(outcome.method()).isEqualTo("smime-decrypt");
            assertThat(outcome.keyFingerprint()).isEqualTo(Fingerprints.sha256(TestPki.aliceRsa().certificate()));
        });
    }

    @Test
    void decryptShouldDeliverUnchangedAndMarkNoKeyWhenEncryptedToAKeyTheGatewayDoesNotHold() throws Exception {
        IssuedIdentity endToEnd = identity("alice.personal@sealgate.test");
        MimeMessage encrypted = encryptedTo(TestMessages.text(SECRET), endToEnd);
        Mail mail = mail(encrypted, SENDER, ALICE);

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER, null)).isEqualTo("no-key");
        assertThat(SmimeCrypto.isEncrypted(mail.getMessage())).isTrue();
        assertThat(MailetFixtures.text(mail)).doesNotContain(SECRET);
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason -> assertThat(reason).contains("does not hold"));
        assertThat(mail.getState()).isEqualTo("transport");
        // Unchanged means the real recipient can still open it end to end.
        assertThat(TestMessages.firstText(crypto.decrypt(TestMessages.parse(MailetFixtures.bytes(mail)),
            List.of(endToEnd.toManagedIdentity())).message())).isEqualTo(SECRET);
    }

    @Test
    void decryptShouldSplitOffARecipientTheMessageWasNotEncryptedTo() throws Exception {
        Mail mail = mail(encryptedTo(TestMessages.text(SECRET), TestPki.aliceRsa()), SENDER, ALICE, ERIN);

        mailet.service(mail);

        assertThat(recipients(mail)).containsExactly(ALICE);
        assertThat(TestMessages.firstText(mail.getMessage())).isEqualTo(SECRET);
        assertThat(context.getSentMails()).singleElement().satisfies(copy -> {
            assertThat(copy.getState()).isEqualTo("inbound");
            assertThat(recipients(copy)).containsExactly(ERIN);
            assertThat(SmimeCrypto.isEncrypted(copy.getMsg())).isTrue();
            assertThat(new String(TestMessages.bytes(copy.getMsg()), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(SECRET);
        });
    }

    @Test
    void decryptShouldRequeueTheDecryptableRecipientWhenTheFirstRecipientHasNoMatchingKey() throws Exception {
        Mail mail = mail(encryptedTo(TestMessages.text(SECRET), TestPki.aliceRsa()), SENDER, ERIN, ALICE);

        mailet.service(mail);

        assertThat(recipients(mail)).containsExactly(ERIN);
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER, null)).isEqualTo("no-key");
        assertThat(MailetFixtures.text(mail)).doesNotContain(SECRET);
        assertThat(context.getSentMails()).singleElement().satisfies(copy -> {
            assertThat(copy.getState()).isEqualTo("inbound");
            assertThat(recipients(copy)).containsExactly(ALICE);
            assertThat(SmimeCrypto.isEncrypted(copy.getMsg())).isTrue();
        });
    }

    @ParameterizedTest(name = "byte flipped {0} bytes before the end")
    @ValueSource(ints = {40, 200, 1500})
    void decryptShouldSendATamperedMessageToTheFailureProcessorWithoutReleasingPlaintext(int fromEnd) throws Exception {
        MimeMessage encrypted = encryptedTo(TestMessages.text(SECRET.repeat(100)), TestPki.aliceRsa());
        MimeMessage tampered = MailetFixtures.flipByteInBody(encrypted, fromEnd);
        Mail mail = mail(tampered, SENDER, ALICE);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason ->
            assertThat(reason).startsWith("S/MIME decryption failed"));
        assertThat(SmimeCrypto.isEncrypted(mail.getMessage())).isTrue();
        assertThat(MailetFixtures.text(mail)).doesNotContain("merger");
        assertThat(MailetFixtures.bytes(mail)).isEqualTo(TestMessages.bytes(tampered));
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER)).isNull();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void decryptShouldSendGarbledCmsToTheFailureProcessor() throws Exception {
        String garbage = java.util.Base64.getMimeEncoder().encodeToString(TestMessages.randomBytes(600, 3));
        MimeMessage garbled = TestMessages.parse("From: " + SENDER + "\r\nTo: " + ALICE + "\r\nSubject: x\r\n"
            + "Message-ID: <garbled@partner.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + garbage + "\r\n");
        Mail mail = mail(garbled, SENDER, ALICE);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason ->
            assertThat(reason).startsWith("S/MIME decryption failed"));
    }
}
