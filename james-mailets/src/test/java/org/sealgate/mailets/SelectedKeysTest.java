package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.identity;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.discovery.DiscoveredKeyStore;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.policy.PolicyRules;
import org.sealgate.testing.TestMessages;

/**
 * The recipient's key is selected once per mail: ApplyPolicy records it, SmimeEncrypt / PgpEncrypt take it by
 * fingerprint; a selection that does not cover the recipients, is stale, or names a key not held for the recipient
 * is never used (the recipient is selected again, and refused when nothing is usable).
 */
class SelectedKeysTest {
    private static final String BOB = "bob@partner.test";
    private static final String CAROL = "carol@partner.test";
    private static final String PGP_USER = "pgp@pgp.test";
    private static final OpenPGPKey PGP_KEY = PgpKeys.generate("Pgp User <" + PGP_USER + ">", 4);
    private static final PolicyRules POLICY = MailetFixtures.policy(
        "default.encrypt = required",
        "domain.pgp.test.methods = pgp");

    private final SmimeCrypto smime = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final List<String> smimeSelections = new ArrayList<>();
    private final List<String> pgpSelections = new ArrayList<>();
    private FileKeyDirectory keys;
    private FilePgpKeyDirectory pgpKeys;
    private RecipientCertificates certificates;
    private RecipientPgpKeys recipientPgpKeys;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        keys = FileKeyDirectory.open(dir);
        keys.addCertificate(identity(BOB).certificate());
        keys.addCertificate(identity(CAROL).certificate());
        pgpKeys = FilePgpKeyDirectory.open(dir.resolve("pgp"));
        pgpKeys.addPublicKey(PGP_KEY.toCertificate(), PgpPublicKey.Source.IMPORTED);
        // Counting the real selections: what the issue asks to happen once per recipient, not twice.
        certificates = new RecipientCertificates(keys, smime) {
            @Override
            public Selection select(String address) {
                smimeSelections.add(address);
                return super.select(address);
            }
        };
        recipientPgpKeys = new RecipientPgpKeys(pgpKeys, POLICY) {
            @Override
            public Selection select(String address) {
                pgpSelections.add(address);
                return super.select(address);
            }
        };
    }

    private ApplyPolicy policyMailet() throws MessagingException {
        ApplyPolicy mailet = new ApplyPolicy(POLICY, certificates, recipientPgpKeys);
        mailet.init(config(context));
        return mailet;
    }

    private SmimeEncrypt smimeMailet(Clock clock) throws MessagingException {
        SmimeEncrypt mailet = new SmimeEncrypt(smime, certificates, POLICY,
            new SelectedKeyLookup(keys, pgpKeys, DiscoveredKeyStore.NONE, clock));
        mailet.init(config(context, "nextProcessor", "deliver", "splitProcessor", "smime"));
        return mailet;
    }

    private String decryptedBy(Mail mail, String address) throws Exception {
        return TestMessages.firstText(smime.decrypt(TestMessages.parse(MailetFixtures.bytes(mail)),
            List.of(identity(address).toManagedIdentity())).message());
    }

    @Test
    void policyThenSmimeEncryptShouldSelectEachRecipientsCertificateOnce() throws Exception {
        Mail mail = mail(TestMessages.text("selected once"), TestMessages.FROM, BOB, CAROL);

        policyMailet().service(mail);
        smimeMailet(Clock.systemUTC()).service(mail);

        assertThat(smimeSelections).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(mail.getState()).isEqualTo("deliver");
        assertThat(decryptedBy(mail, BOB)).isEqualTo("selected once");
        assertThat(decryptedBy(mail, CAROL)).isEqualTo("selected once");
    }

    @Test
    void selectionThatDoesNotCoverEveryRecipientShouldBeIgnoredAndTheRecipientsSelectedAgain() throws Exception {
        Mail mail = mail(TestMessages.text("one more recipient"), TestMessages.FROM, BOB);
        policyMailet().service(mail);
        mail.setRecipients(List.of(new org.apache.james.core.MailAddress(BOB), new org.apache.james.core.MailAddress(CAROL)));
        smimeSelections.clear();

        smimeMailet(Clock.systemUTC()).service(mail);

        assertThat(smimeSelections).containsExactly(BOB, CAROL);
        assertThat(decryptedBy(mail, CAROL)).isEqualTo("one more recipient");
    }

    @Test
    void staleSelectionShouldBeIgnoredAndTheRecipientSelectedAgain() throws Exception {
        Mail mail = mail(TestMessages.text("waited too long"), TestMessages.FROM, BOB);
        policyMailet().service(mail);
        smimeSelections.clear();
        Clock later = Clock.fixed(Instant.now().plus(SelectedKeys.MAX_AGE).plusSeconds(5), ZoneOffset.UTC);

        smimeMailet(later).service(mail);

        assertThat(smimeSelections).containsExactly(BOB);
    }

    @Test
    void forgedSelectionNamingAnotherAddressesCertificateShouldNotRedirectTheEncryption() throws Exception {
        Mail mail = mail(TestMessages.text("for bob only"), TestMessages.FROM, BOB);
        mail.setAttribute(new Attribute(SelectedKeys.ATTRIBUTE, AttributeValue.of("v1 " + Instant.now().toEpochMilli()
            + "\nsmime\t" + BOB + "\t" + Fingerprints.sha256(identity(CAROL).certificate()) + "\t")));

        smimeMailet(Clock.systemUTC()).service(mail);

        assertThat(smimeSelections).containsExactly(BOB);
        assertThat(decryptedBy(mail, BOB)).isEqualTo("for bob only");
        assertThatThrownBy(() -> decryptedBy(mail, CAROL)).isInstanceOf(CryptoException.class);
    }

    @Test
    void selectionForARecipientWithoutUsableCertificateShouldStillBeRefusedNeverSentInClear() throws Exception {
        String dave = "dave@partner.test";
        Mail mail = mail(TestMessages.text("no key"), TestMessages.FROM, dave);
        mail.setAttribute(new Attribute(SelectedKeys.ATTRIBUTE, AttributeValue.of("v1 " + Instant.now().toEpochMilli()
            + "\nsmime\t" + dave + "\t" + Fingerprints.sha256(identity(BOB).certificate()) + "\t")));

        assertThatThrownBy(() -> smimeMailet(Clock.systemUTC()).service(mail))
            .isInstanceOf(MessagingException.class).hasMessageContaining("no certificate known for " + dave);
        assertThat(SmimeCrypto.isEncrypted(mail.getMessage())).isFalse();
        assertThat(mail.getState()).isNotEqualTo("deliver");
    }

    @Test
    void policyRunShouldReplaceASelectionTheMailAlreadyCarried() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, BOB);
        mail.setAttribute(new Attribute(SelectedKeys.ATTRIBUTE, AttributeValue.of("v1 " + Instant.now().toEpochMilli()
            + "\nsmime\t" + BOB + "\t" + "00".repeat(32) + "\tforged note")));

        policyMailet().service(mail);

        assertThat(MailetFixtures.attribute(mail, SelectedKeys.ATTRIBUTE))
            .contains("smime\t" + BOB + "\t" + Fingerprints.sha256(identity(BOB).certificate()))
            .doesNotContain("forged note").doesNotContain("00".repeat(32));
    }

    @Test
    void policyThenPgpEncryptShouldSelectTheRecipientsKeyOnce() throws Exception {
        Mail mail = mail(TestMessages.text("pgp selected once"), TestMessages.FROM, PGP_USER);
        PgpEncrypt encrypt = new PgpEncrypt(new PgpCrypto(), smime, recipientPgpKeys, pgpKeys, POLICY,
            new SelectedKeyLookup(keys, pgpKeys, DiscoveredKeyStore.NONE, Clock.systemUTC()));
        encrypt.init(config(context, "nextProcessor", "deliver"));

        policyMailet().service(mail);
        encrypt.service(mail);

        assertThat(pgpSelections).containsExactly(PGP_USER);
        assertThat(mail.getMessage().getContentType()).contains("multipart/encrypted");
        var decrypted = new PgpCrypto().decrypt(mail.getMessage(), List.of(new PgpManagedKey(PGP_USER, PGP_KEY, c -> null)), null);
        assertThat(TestMessages.firstText(decrypted.message())).isEqualTo("pgp selected once");
    }

    @Test
    void selectionOlderThanTheBoundShouldNotBeReadEvenWhenItCoversTheRecipients() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, BOB);
        policyMailet().service(mail);

        assertThat(SelectedKeys.covering(mail, SelectedKeys.Kind.SMIME, mail.getRecipients(), Instant.now())).isPresent();
        assertThat(SelectedKeys.covering(mail, SelectedKeys.Kind.SMIME, mail.getRecipients(),
            Instant.now().plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(SelectedKeys.covering(mail, SelectedKeys.Kind.SMIME, mail.getRecipients(),
            Instant.now().minus(Duration.ofMinutes(5)))).as("from the future").isEmpty();
        assertThat(SelectedKeys.covering(mail, SelectedKeys.Kind.PGP, mail.getRecipients(), Instant.now())).isEmpty();
    }

    @Test
    void heldMailShouldLoseTheSelectionSoItsReleaseIsSelectedAfresh(@TempDir Path held) throws Exception {
        Mail mail = mail(TestMessages.text("held"), TestMessages.FROM, BOB);
        policyMailet().service(mail);
        assertThat(mail.getAttribute(SelectedKeys.ATTRIBUTE)).isPresent();
        HoldMail hold = new HoldMail(org.sealgate.held.HeldMailStores.open(held.resolve("store"),
            org.sealgate.held.HeldMailKey.loadOrCreate(held.resolve("held.key"))));
        hold.init(config(context, "notifySender", "false"));

        hold.service(mail);

        assertThat(mail.getAttribute(SelectedKeys.ATTRIBUTE)).isEmpty();
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }
}
