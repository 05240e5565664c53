package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;
import static org.sealgate.mailets.MailetFixtures.recipients;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.audit.AuditEvent;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.crypto.PgpRecipientsDecryption;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.testing.OpenPgpPackets;
import org.sealgate.testing.TestMessages;

/** PgpEncrypt, PgpDecrypt and PgpVerify with James's mailet fakes and Bouncy Castle keys. */
class PgpMailetsTest {
    private static final String ALICE = TestMessages.FROM;            // managed sender, alice@sealgate.test
    private static final String ERIN = "erin@sealgate.test";          // managed, no OpenPGP key
    private static final String BOB = TestMessages.TO;                // partner, bob@partner.test
    private static final OpenPGPKey ALICE_KEY = PgpKeys.generate("Alice <" + ALICE + ">", 4);
    private static final OpenPGPKey BOB_KEY = PgpKeys.generate("Bob <" + BOB + ">", 4);

    private final PgpCrypto crypto = new PgpCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FilePgpKeyDirectory keys;
    private FileKeyDirectory smimeKeys;
    private final List<AuditEvent> audit = new ArrayList<>();

    @BeforeEach
    void setUp(@TempDir Path data) {
        keys = FilePgpKeyDirectory.open(data);
        smimeKeys = FileKeyDirectory.open(data.resolve("keys"));
        keys.addManagedKey(ALICE_KEY, null);
        keys.addPublicKey(BOB_KEY.toCertificate(), PgpPublicKey.Source.IMPORTED);
    }

    private PgpEncrypt encryptMailet(String... policyLines) throws MessagingException {
        PgpEncrypt mailet = new PgpEncrypt(crypto, new SmimeCrypto(), new RecipientPgpKeys(keys, MailetFixtures.policy(policyLines)), keys, MailetFixtures.policy(policyLines));
        mailet.init(config(context, "nextProcessor", "deliver"));
        return mailet;
    }

    private PgpDecrypt decryptMailet() throws MessagingException {
        PgpDecrypt mailet = new PgpDecrypt(crypto, keys, new KeyHarvester(smimeKeys, keys, audit::add));
        mailet.init(config(context, "failureProcessor", "quarantine", "splitProcessor", "inbound"));
        return mailet;
    }

    private PgpVerify verifyMailet() throws MessagingException {
        PgpVerify mailet = new PgpVerify(crypto, keys, new KeyHarvester(smimeKeys, keys, audit::add));
        mailet.init(config(context, "subjectTags", "true"));
        return mailet;
    }

    /** What Bob's client sends to Alice: signed with Bob's key, encrypted to Alice's. */
    private MimeMessage fromBob(String subject, String body) throws Exception {
        MimeMessage message = TestMessages.textFrom(BOB, body);
        message.setSubject(subject);
        message.setRecipients(MimeMessage.RecipientType.TO, ALICE);
        message.saveChanges();
        return TestMessages.parse(TestMessages.bytes(crypto.encrypt(message, List.of(ALICE_KEY.toCertificate()),
            Optional.of(new org.sealgate.pgp.PgpManagedKey(BOB, BOB_KEY, c -> null)), null)));
    }

    @Test
    void initShouldFailWithoutNextProcessorOrWithUnknownAead() {
        assertThatThrownBy(() -> new PgpEncrypt(crypto, new SmimeCrypto(), new RecipientPgpKeys(keys, MailetFixtures.policy()), keys, MailetFixtures.policy()).init(config(context)))
            .isInstanceOf(MessagingException.class).hasMessageContaining("nextProcessor");
        assertThatThrownBy(() -> new PgpEncrypt(crypto, new SmimeCrypto(), new RecipientPgpKeys(keys, MailetFixtures.policy()), keys, MailetFixtures.policy())
            .init(config(context, "nextProcessor", "deliver", "aead", "eax")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("aead");
    }

    @Test
    void encryptShouldSignWithSendersKeyWhenPolicySaysSignAndProtectTheSubject() throws Exception {
        MimeMessage original = TestMessages.text("for Bob only");
        original.setSubject("the real subject");
        Mail mail = mail(original, ALICE, BOB);

        encryptMailet().service(mail);

        assertThat(mail.getState()).isEqualTo("deliver");
        assertThat(mail.getMessage().getContentType()).contains("multipart/encrypted");
        assertThat(mail.getMessage().getSubject()).isEqualTo("...");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("pgp-sign+pgp-encrypt");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.KEYS)).contains("pgp:" + PgpKeys.fingerprint(BOB_KEY));
        var decrypted = crypto.decrypt(mail.getMessage(), List.of(new org.sealgate.pgp.PgpManagedKey(BOB, BOB_KEY, c -> null)),
            org.sealgate.crypto.PgpVerificationPolicy.strict(List.of(new PgpPublicKey(ALICE_KEY.toCertificate(), PgpPublicKey.Source.IMPORTED))));
        assertThat(decrypted.message().getSubject()).isEqualTo("the real subject");
        assertThat(decrypted.signature().isValid()).as(decrypted.signature().detail()).isTrue();
    }

    @Test
    void smimeSignatureMadeByTheGatewayShouldBeReplacedByTheOpenPgpOne() throws Exception {
        smimeKeys.addManagedIdentity(MailetFixtures.identity(ALICE).toManagedIdentity());
        MimeMessage original = TestMessages.text("signed twice?");
        Mail mail = mail(original, ALICE, BOB);
        SmimeSign sign = new SmimeSign(new SmimeCrypto(), smimeKeys, MailetFixtures.policy());
        sign.init(config(context));
        sign.service(mail);
        assertThat(SmimeCrypto.isSigned(mail.getMessage())).isTrue();

        encryptMailet().service(mail);

        var decrypted = crypto.decrypt(mail.getMessage(), List.of(new org.sealgate.pgp.PgpManagedKey(BOB, BOB_KEY, c -> null)),
            org.sealgate.crypto.PgpVerificationPolicy.strict(List.of(new PgpPublicKey(ALICE_KEY.toCertificate(), PgpPublicKey.Source.IMPORTED))));
        assertThat(decrypted.message().getContentType()).startsWith("text/plain");
        assertThat(TestMessages.firstText(decrypted.message())).contains("signed twice?");
        assertThat(decrypted.signature().isValid()).isTrue();
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("smime-sign+smime-sign-replaced+pgp-sign+pgp-encrypt");
    }

    @Test
    void encryptShouldNotSignWhenSenderDomainPolicySaysNo() throws Exception {
        Mail mail = mail(TestMessages.text("unsigned"), ALICE, BOB);

        encryptMailet("domain.sealgate.test.sign = false").service(mail);

        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("pgp-encrypt");
    }

    @Test
    void clientMadeSmimeSignatureShouldBeKeptInsideTheEncryption() throws Exception {
        smimeKeys.addManagedIdentity(MailetFixtures.identity(ALICE).toManagedIdentity());
        MimeMessage clientSigned = new SmimeCrypto().sign(TestMessages.text("signed by my client"),
            MailetFixtures.identity(ALICE).toManagedIdentity());
        Mail mail = mail(TestMessages.parse(TestMessages.bytes(clientSigned)), ALICE, BOB);

        encryptMailet().service(mail);

        var decrypted = crypto.decrypt(mail.getMessage(), List.of(new org.sealgate.pgp.PgpManagedKey(BOB, BOB_KEY, c -> null)), null);
        assertThat(SmimeCrypto.isSigned(decrypted.message())).isTrue();
    }

    @Test
    void encryptShouldRefuseARecipientWithoutUsableKey() throws Exception {
        Mail mail = mail(TestMessages.text("x"), ALICE, BOB, "nokey@partner.test");

        assertThatThrownBy(() -> encryptMailet().service(mail)).isInstanceOf(MessagingException.class)
            .hasMessageContaining("no OpenPGP key known for nokey@partner.test");
    }

    @Test
    void decryptAndVerifyShouldRestoreSubjectAndMarkTrustedSignature() throws Exception {
        Mail mail = mail(fromBob("hello Alice", "secret body"), BOB, ALICE);

        decryptMailet().service(mail);
        verifyMailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(MailetFixtures.text(mail)).contains("secret body");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[PGP OK] hello Alice");
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER)[0]).startsWith("decrypted; method=openpgp");
        assertThat(mail.getMessage().getHeader(SmimeVerify.SIGNATURE_HEADER)[0])
            .isEqualTo("valid; signer=" + BOB + "; method=openpgp; trust=imported");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isEqualTo("pgp-decrypt+pgp-verify:valid");
    }

    @Test
    void signatureByUnknownKeyShouldBeReportedInvalidNotAbsent() throws Exception {
        keys.remove(BOB);
        Mail mail = mail(fromBob("unknown signer", "body"), BOB, ALICE);

        decryptMailet().service(mail);
        verifyMailet().service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("[PGP INVALID] unknown signer");
        assertThat(mail.getMessage().getHeader(SmimeVerify.SIGNATURE_HEADER)[0]).startsWith("no-signer;");
    }

    @Test
    void tamperedCiphertextShouldGoToFailureProcessorWithReason() throws Exception {
        MimeMessage encrypted = fromBob("tampered", "x".repeat(2000));
        String armored = new String(org.sealgate.testing.TestMessages.readAll(
            ((javax.mail.internet.MimeMultipart) encrypted.getContent()).getBodyPart(1).getInputStream()), StandardCharsets.US_ASCII);
        String raw = new String(TestMessages.bytes(encrypted), StandardCharsets.US_ASCII)
            .replace(armored.replaceAll("\r?\n", "\r\n").trim(), OpenPgpPackets.flipBit(armored, 30).replaceAll("\r?\n", "\r\n").trim());
        Mail mail = mail(TestMessages.parse(raw), BOB, ALICE);

        decryptMailet().service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.REASON)).startsWith("OpenPGP decryption failed");
        assertThat(MailetFixtures.text(mail)).doesNotContain("xxxxxxxxxx");
    }

    @Test
    void recipientsWithoutKeyShouldGetTheMailUnchangedInTheirOwnCopy() throws Exception {
        Mail mail = mail(fromBob("split", "for Alice"), BOB, ALICE, ERIN);

        decryptMailet().service(mail);

        assertThat(recipients(mail)).containsExactly(ALICE);
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(recipients(sent)).containsExactly(ERIN);
            assertThat(sent.getState()).isEqualTo("inbound");
        });
    }

    @Test
    void oneDecryptionShouldServeEveryManagedRecipientTheMessageIsEncryptedTo() throws Exception {
        String carol = "carol@sealgate.test";
        String dave = "dave@sealgate.test";
        OpenPGPKey carolKey = PgpKeys.generate("Carol <" + carol + ">", 4);
        keys.addManagedKey(carolKey, null);
        keys.addManagedKey(PgpKeys.generate("Dave <" + dave + ">", 4), null);
        MimeMessage message = TestMessages.textFrom(BOB, "for Alice and Carol");
        message.setSubject("to two");
        message.saveChanges();
        MimeMessage encrypted = TestMessages.parse(TestMessages.bytes(crypto.encrypt(message,
            List.of(ALICE_KEY.toCertificate(), carolKey.toCertificate()),
            Optional.of(new org.sealgate.pgp.PgpManagedKey(BOB, BOB_KEY, c -> null)), null)));
        // Dave's key is managed but not among the message's recipients; Erin has no key at all.
        Mail mail = mail(encrypted, BOB, ALICE, dave, ERIN, carol);

        decryptMailet().service(mail);

        assertThat(recipients(mail)).containsExactly(ALICE, carol);
        assertThat(MailetFixtures.text(mail)).contains("for Alice and Carol");
        assertThat(mail.getMessage().getHeader(SmimeDecrypt.DECRYPTION_HEADER)[0]).startsWith("decrypted; method=openpgp");
        assertThat(context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(recipients(sent)).containsExactly(dave, ERIN);
            assertThat(sent.getState()).isEqualTo("inbound");
        });
        PgpRecipientsDecryption once = crypto.decryptForRecipients(encrypted,
            List.of(keys.managedKey(dave).orElseThrow(), keys.managedKey(ALICE).orElseThrow(), keys.managedKey(carol).orElseThrow()),
            null);
        assertThat(once.result().key().address()).isEqualTo(keys.managedKey(ALICE).orElseThrow().address());
        assertThat(once.opened()).extracting(org.sealgate.pgp.PgpManagedKey::address).containsExactly(
            keys.managedKey(ALICE).orElseThrow().address(), keys.managedKey(carol).orElseThrow().address());
    }

    @Test
    void verifyShouldLeaveMailWithoutPgpSignatureAlone() throws Exception {
        MimeMessage message = TestMessages.text("plain");
        message.setHeader(SmimeVerify.SIGNATURE_HEADER, "none");
        Mail mail = mail(message, BOB, ALICE);

        verifyMailet().service(mail);

        assertThat(mail.getMessage().getHeader(SmimeVerify.SIGNATURE_HEADER)).containsExactly("none");
        assertThat(MailetFixtures.attribute(mail, AuditTrail.METHOD)).isNull();
    }
}
