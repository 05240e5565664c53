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
import org.sealgate.audit.AuditEvent;
import org.sealgate.crypto.DecryptionResult;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.IssuedIdentity;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class SmimeEncryptTest {
    private static final String BOB = "bob@partner.test";
    private static final String CAROL = "carol@partner.test";
    private static final String ERIN = "erin@legacy.test";

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private SmimeEncrypt mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws MessagingException {
        keys = FileKeyDirectory.open(dir);
        keys.addCertificate(identity(BOB).certificate());
        keys.addCertificate(TestPki.aliceRsa().certificate());
        keys.addCertificate(identity(ERIN).certificate());
        mailet = new SmimeEncrypt(crypto, new RecipientCertificates(keys, crypto),
            MailetFixtures.policy("domain.legacy.test.content-encryption = aes256-cbc"));
        mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "encrypt"));
    }

    @Test
    void initShouldFailWithoutNextProcessor() {
        SmimeEncrypt fresh = new SmimeEncrypt(crypto, new RecipientCertificates(keys, crypto), MailetFixtures.policy());

        assertThatThrownBy(() -> fresh.init(config(context, "splitProcessor", "encrypt")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("nextProcessor");
    }

    @Test
    void initShouldFailWithoutSplitProcessor() {
        SmimeEncrypt fresh = new SmimeEncrypt(crypto, new RecipientCertificates(keys, crypto), MailetFixtures.policy());

        assertThatThrownBy(() -> fresh.init(config(context, "nextProcessor", "deliver", "splitProcessor", "  ")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("splitProcessor");
    }

    @Test
    void encryptShouldProduceAuthEnvelopedDataForAllRecipientsAndMoveToNextProcessor() throws Exception {
        MimeMessage original = TestMessages.text("the quarterly numbers");
        Mail mail = mail(original, TestMessages.FROM, BOB, TestMessages.FROM);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("deliver");
        assertThat(recipients(mail)).containsExactly(BOB, TestMessages.FROM);
        assertThat(context.getSentMails()).isEmpty();
        MimeMessage encrypted = mail.getMessage();
        assertThat(encrypted.getContentType()).startsWith("application/pkcs7-mime")
            .contains("smime-type=authEnveloped-data");
        assertThat(MailetFixtures.text(mail)).doesNotContain("quarterly");
        assertThat(encrypted.getMessageID()).isEqualTo(original.getMessageID());
        for (IssuedIdentity recipient : List.of(identity(BOB), TestPki.aliceRsa())) {
            DecryptionResult decrypted = crypto.decrypt(TestMessages.parse(MailetFixtures.bytes(mail)),
                List.of(recipient.toManagedIdentity()));
            assertThat(TestMessages.firstText(decrypted.message())).isEqualTo("the quarterly numbers");
            assertThat(decrypted.contentAlgorithm()).isEqualTo("AES-256-GCM");
        }
    }

    @Test
    void encryptShouldRecordMethodAndEachRecipientsFingerprintInTheAuditTrail() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, BOB, TestMessages.FROM);

        mailet.service(mail);

        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("smime-encrypt");
        AuditEvent event = MailetFixtures.event(mail);
        assertThat(event.recipients()).containsExactly(
            new AuditEvent.RecipientOutcome(BOB, "smime-encrypt", Fingerprints.sha256(identity(BOB).certificate())),
            new AuditEvent.RecipientOutcome(TestMessages.FROM, "smime-encrypt",
                Fingerprints.sha256(TestPki.aliceRsa().certificate())));
    }

    @Test
    void encryptShouldSplitRecipientsWhoseDomainsNeedDifferentContentEncryption() throws Exception {
        Mail mail = mail(TestMessages.text("for old and new clients"), TestMessages.FROM, BOB, ERIN);

        mailet.service(mail);

        assertThat(recipients(mail)).containsExactly(BOB);
        assertThat(mail.getMessage().getContentType()).contains("smime-type=authEnveloped-data");
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail copy = context.getSentMails().get(0);
        assertThat(copy.getState()).isEqualTo("encrypt");
        assertThat(recipients(copy)).containsExactly(ERIN);
        // The copy is still the clear original: the split processor encrypts it with its own (CBC) settings.
        assertThat(SmimeCrypto.isEncrypted(copy.getMsg())).isFalse();
        assertThat(TestMessages.firstText(copy.getMsg())).isEqualTo("for old and new clients");
    }

    @Test
    void encryptShouldUseEnvelopedDataCbcForADomainWhosePolicySaysSo() throws Exception {
        Mail mail = mail(TestMessages.text("legacy"), TestMessages.FROM, ERIN);

        mailet.service(mail);

        assertThat(mail.getMessage().getContentType()).contains("smime-type=enveloped-data");
        DecryptionResult decrypted = crypto.decrypt(TestMessages.parse(MailetFixtures.bytes(mail)),
            List.of(identity(ERIN).toManagedIdentity()));
        assertThat(decrypted.contentAlgorithm()).isEqualTo("AES-256-CBC");
        assertThat(TestMessages.firstText(decrypted.message())).isEqualTo("legacy");
    }

    @Test
    void encryptShouldThrowAndLeaveTheMessageInClearUntouchedWhenARecipientHasOnlyAnExpiredCertificate() throws Exception {
        keys.addCertificate(MailetFixtures.expired(CAROL).certificate());
        MimeMessage original = TestMessages.text("never in clear");
        byte[] before = TestMessages.bytes(original);
        Mail mail = mail(original, TestMessages.FROM, BOB, CAROL);

        assertThatThrownBy(() -> mailet.service(mail))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining(CAROL).hasMessageContaining("expired");

        assertThat(mail.getState()).isNotEqualTo("deliver");
        assertThat(SmimeCrypto.isEncrypted(mail.getMessage())).isFalse();
        assertThat(MailetFixtures.bytes(mail)).isEqualTo(before);
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isNull();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void encryptShouldThrowWhenARecipientHasNoCertificateAtAll() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, "nobody@partner.test");

        assertThatThrownBy(() -> mailet.service(mail))
            .isInstanceOf(MessagingException.class).hasMessageContaining("no certificate known for nobody@partner.test");
        assertThat(mail.getState()).isEqualTo("transport");
    }
}
