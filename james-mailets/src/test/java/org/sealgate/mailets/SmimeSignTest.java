package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.identity;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.crypto.VerificationPolicy;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class SmimeSignTest {
    private static final String BOB = "bob@partner.test";
    private static final String FRANK = "frank@nosign.test";

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private SmimeSign mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws MessagingException {
        keys = FileKeyDirectory.open(dir);
        keys.addManagedIdentity(TestPki.aliceRsa().toManagedIdentity());
        keys.addManagedIdentity(identity(FRANK).toManagedIdentity());
        mailet = new SmimeSign(crypto, keys, MailetFixtures.policy("domain.nosign.test.sign = false"));
        mailet.init(config(context));
    }

    @Test
    void signShouldProduceMultipartSignedThatVerifiesAgainstTheCa() throws Exception {
        MimeMessage original = TestMessages.withAttachment("signed by the gateway", TestMessages.randomBytes(5000, 1));
        Mail mail = mail(original, TestMessages.FROM, BOB);

        mailet.service(mail);

        MimeMessage signed = TestMessages.parse(MailetFixtures.bytes(mail));
        assertThat(signed.getContentType()).startsWith("multipart/signed");
        VerificationResult result = crypto.verify(signed, VerificationPolicy.trusting(List.of(TestPki.ca().certificate())));
        assertThat(result.status()).as(result.detail()).isEqualTo(SignatureStatus.VALID);
        assertThat(result.signerCertificate()).contains(TestPki.aliceRsa().certificate());
        assertThat(TestMessages.attachment(signed)).isEqualTo(TestMessages.attachment(original));
        assertThat(signed.getMessageID()).isEqualTo(original.getMessageID());
    }

    @Test
    void signShouldRecordTheSignerFingerprintInTheAuditTrail() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, BOB);

        mailet.service(mail);

        assertThat(MailetFixtures.event(mail).recipients()).singleElement().satisfies(outcome -> {
            assertThat(outcome.method()).isEqualTo("smime-sign");
            assertThat(outcome.keyFingerprint())
                .isEqualTo("signer:" + Fingerprints.sha256(TestPki.aliceRsa().certificate()));
        });
    }

    @Test
    void signShouldDoNothingWhenTheSenderDomainPolicySaysNotToSign() throws Exception {
        assertUnchanged(TestMessages.textFrom(FRANK, "x"));
    }

    @Test
    void signShouldDoNothingWhenFromHasNoManagedKey() throws Exception {
        assertUnchanged(TestMessages.textFrom("nokey@sealgate.test", "x"));
    }

    @Test
    void signShouldDoNothingWhenFromHasTwoAddresses() throws Exception {
        assertUnchanged(TestMessages.parse("From: " + TestMessages.FROM + ", " + FRANK + "\r\nTo: " + BOB
            + "\r\nSubject: two authors\r\nMessage-ID: <two@sealgate.test>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\nWe both wrote this.\r\n"));
    }

    @Test
    void signShouldDoNothingWhenFromIsMissing() throws Exception {
        assertUnchanged(TestMessages.parse("To: " + BOB + "\r\nSubject: anonymous\r\nMessage-ID: <anon@sealgate.test>\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nNo author.\r\n"));
    }

    @Test
    void signShouldNotSignAnAlreadySignedMessageAgain() throws Exception {
        MimeMessage signed = TestMessages.parse(TestMessages.bytes(
            crypto.sign(TestMessages.text("signed by the client"), TestPki.aliceRsa().toManagedIdentity())));

        assertUnchanged(signed);
    }

    @Test
    void signShouldNotSignAnEncryptedMessage() throws Exception {
        MimeMessage encrypted = TestMessages.parse(TestMessages.bytes(crypto.encrypt(TestMessages.text("end to end"),
            List.of(identity(BOB).certificate()), EncryptionPolicy.DEFAULT)));

        assertUnchanged(encrypted);
    }

    private void assertUnchanged(MimeMessage message) throws Exception {
        byte[] before = TestMessages.bytes(message);
        Mail mail = mail(message, TestMessages.FROM, BOB);

        mailet.service(mail);

        assertThat(MailetFixtures.bytes(mail)).isEqualTo(before);
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isNull();
        assertThat(mail.getState()).isEqualTo("transport");
    }
}
