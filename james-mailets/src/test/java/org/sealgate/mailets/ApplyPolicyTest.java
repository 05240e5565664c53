package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.identity;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.audit.AuditEvent;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.FilePgpKeyDirectory;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.policy.PolicySettings;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.PolicyRules;
import org.sealgate.testing.TestMessages;

/** ApplyPolicy on real James mails: decisions stored, triggers removed, debug header, the trusted header only. */
class ApplyPolicyTest {
    private static final String BOB = "bob@partner.test";          // has a certificate
    private static final String DAVE = "dave@partner.test";        // has nothing
    private static final String ERIN = "erin@secure.test";         // required, nothing
    private static final String PGP_USER = "pgp@partner.test";      // only an OpenPGP key
    private static final PolicyRules POLICY = MailetFixtures.policy(
        "domain.secure.test.encrypt = required",
        "domain.sealgate.test.debug-header = on",
        "user.quiet@sealgate.test.sign = off");

    private final FakeMailContext context = FakeMailContext.defaultContext();
    private ApplyPolicy mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws Exception {
        SmimeCrypto crypto = new SmimeCrypto();
        FileKeyDirectory keys = FileKeyDirectory.open(dir);
        keys.addCertificate(identity(BOB).certificate());
        FilePgpKeyDirectory pgp = FilePgpKeyDirectory.open(dir.resolve("pgp"));
        pgp.addPublicKey(PgpKeys.generate("Pgp User <" + PGP_USER + ">", 4).toCertificate(), PgpPublicKey.Source.IMPORTED);
        mailet = new ApplyPolicy(POLICY, new RecipientCertificates(keys, crypto), new RecipientPgpKeys(pgp, POLICY));
        mailet.init(config(context));
    }

    private static MimeMessage message(String from, String subject) throws Exception {
        MimeMessage message = TestMessages.textFrom(from, "body");
        message.setSubject(subject);
        message.saveChanges();
        return message;
    }

    @Test
    void serviceShouldHoldTheMailWithTheCauseWhenNoPolicyIsInForce(@TempDir Path dir) throws Exception {
        PolicyProvider none = new PolicyProvider() {
            @Override
            public PolicySettings settingsFor(String address) {
                return PolicySettings.builtIn();     // what a careless caller would get: the built-in defaults
            }

            @Override
            public PolicySettings settingsForDomain(String domain) {
                return PolicySettings.builtIn();
            }

            @Override
            public Optional<String> unavailable() {
                return Optional.of("policy file refused: line 3: unknown setting");
            }
        };
        ApplyPolicy held = new ApplyPolicy(none, new RecipientCertificates(FileKeyDirectory.open(dir), new SmimeCrypto()),
            new RecipientPgpKeys(FilePgpKeyDirectory.open(dir.resolve("pgp")), none));
        held.init(config(context, "unavailableProcessor", "hold-here"));
        Mail mail = mail(message(TestMessages.FROM, "figures"), TestMessages.FROM, DAVE);

        held.service(mail);

        assertThat(mail.getState()).isEqualTo("hold-here");
        assertThat(PolicyAttributes.decisions(mail)).isEmpty();
        assertThat(AuditTrail.reason(mail)).hasValue("no policy in force: policy file refused: line 3: unknown setting");
    }

    @Test
    void serviceShouldStoreOneDecisionPerRecipient() throws Exception {
        Mail mail = mail(message(TestMessages.FROM, "figures"), TestMessages.FROM, BOB, DAVE, ERIN, PGP_USER);

        mailet.service(mail);

        Map<String, MailDecision.RecipientDecision> decisions = PolicyAttributes.decisions(mail);
        assertThat(decisions).containsOnlyKeys(BOB, DAVE, ERIN, PGP_USER);
        assertThat(decisions.get(BOB).outcome()).isEqualTo(Outcome.SMIME);
        assertThat(decisions.get(DAVE).outcome()).isEqualTo(Outcome.PLAIN);
        assertThat(decisions.get(ERIN).outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(decisions.get(ERIN).reason()).contains("no certificate known for " + ERIN)
            .contains("no OpenPGP key known for " + ERIN);
        assertThat(decisions.get(PGP_USER).outcome()).isEqualTo(Outcome.PGP);
        assertThat(MailetFixtures.attribute(mail, PolicyAttributes.SIGN)).isEqualTo("true");
    }

    @Test
    void serviceShouldRemoveSubjectTriggersAndKeepTheMessageId() throws Exception {
        MimeMessage message = message(TestMessages.FROM, "[secure] Quarterly figures");
        String messageId = message.getMessageID();
        Mail mail = mail(message, TestMessages.FROM, DAVE);

        mailet.service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("Quarterly figures");
        assertThat(mail.getMessage().getMessageID()).isEqualTo(messageId);
        assertThat(PolicyAttributes.decisions(mail).get(DAVE).outcome()).isEqualTo(Outcome.BOUNCE);
    }

    @Test
    void serviceShouldLeaveTheSubjectAloneWithoutTriggers() throws Exception {
        Mail mail = mail(message(TestMessages.FROM, "Grüße  [draft]"), TestMessages.FROM, DAVE);

        mailet.service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("Grüße  [draft]");
    }

    @Test
    void aCapturedHeaderShouldCountAndTheHeaderShouldBeRemoved() throws Exception {
        MimeMessage message = message(TestMessages.FROM, "hi");
        message.setHeader("X-Sealgate-Encrypt", "yes");
        Mail mail = mail(message, TestMessages.FROM, DAVE);
        mail.setAttribute(new Attribute(PolicyAttributes.ENCRYPT_HEADER, AttributeValue.of("yes")));

        mailet.service(mail);

        assertThat(PolicyAttributes.decisions(mail).get(DAVE).outcome()).isEqualTo(Outcome.BOUNCE);
        assertThat(mail.getMessage().getHeader("X-Sealgate-Encrypt")).isNull();
        assertThat(mail.getAttribute(PolicyAttributes.ENCRYPT_HEADER)).isEmpty();
    }

    @Test
    void aHeaderThatWasNotCapturedFromATrustedClientShouldBeIgnored() throws Exception {
        MimeMessage message = message(TestMessages.FROM, "hi");
        message.setHeader("X-Sealgate-Encrypt", "yes");
        Mail mail = mail(message, TestMessages.FROM, DAVE);

        mailet.service(mail);

        assertThat(PolicyAttributes.decisions(mail).get(DAVE).outcome()).isEqualTo(Outcome.PLAIN);
        assertThat(mail.getMessage().getHeader("X-Sealgate-Encrypt")).isNull();
    }

    @Test
    void theDebugHeaderShouldShowEveryDecisionWhenTheSendersPolicyAsks() throws Exception {
        Mail mail = mail(message(TestMessages.FROM, "[sign] hi"), TestMessages.FROM, BOB, ERIN);

        mailet.service(mail);

        String debug = String.join(" ", mail.getMessage().getHeader(ApplyPolicy.DEBUG_HEADER)).replaceAll("\\s+", " ");
        assertThat(debug).contains("sign=yes").contains("triggers=[sign] in subject")
            .contains(BOB + "=smime").contains(ERIN + "=bounce");
    }

    @Test
    void noDebugHeaderByDefault() throws Exception {
        Mail mail = mail(message("someone@elsewhere.test", "hi"), "someone@elsewhere.test", BOB);

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader(ApplyPolicy.DEBUG_HEADER)).isNull();
    }

    @Test
    void theSigningDecisionShouldFollowTheSendersUserEntry() throws Exception {
        Mail mail = mail(message("quiet@sealgate.test", "hi"), "quiet@sealgate.test", BOB);

        mailet.service(mail);

        assertThat(MailetFixtures.attribute(mail, PolicyAttributes.SIGN)).isEqualTo("false");
    }

    @Test
    void theAuditEventShouldCarryEachRecipientsDecision() throws Exception {
        Mail mail = mail(message(TestMessages.FROM, "hi"), TestMessages.FROM, BOB, DAVE);

        mailet.service(mail);

        AuditEvent event = MailetFixtures.event(mail);
        assertThat(event.recipients()).extracting(AuditEvent.RecipientOutcome::policy)
            .satisfiesExactly(bob -> assertThat(bob).startsWith("smime (").contains("usable S/MIME certificate"),
                dave -> assertThat(dave).startsWith("plain (").contains("no certificate known for " + DAVE));
    }

    @Test
    void discoveryShouldShareOneBoundAmongAllRecipientsOfAMailAndSayWhoWasNotAsked(@TempDir Path dir) throws Exception {
        PolicyRules policy = MailetFixtures.policy("domain.slow.test.encrypt = required",
            "domain.slow.test.key-discovery = wkd");
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        // A source that uses every millisecond it is given (a hung server given up at the bound).
        org.sealgate.keys.discovery.KeyDiscovery slow = (address, bound) -> {
            asked.add(address);
            try {
                Thread.sleep(bound.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return org.sealgate.keys.discovery.DiscoveryResult.nothing(
                java.util.List.of("wkd: gave up after its timeout of " + bound.toMillis() + " ms"));
        };
        FileKeyDirectory keys = FileKeyDirectory.open(dir);
        ApplyPolicy bounded = new ApplyPolicy(policy, new RecipientCertificates(keys, new SmimeCrypto()),
            new RecipientPgpKeys(FilePgpKeyDirectory.open(dir.resolve("pgp")), policy),
            new RecipientDiscovery(slow, org.sealgate.keys.discovery.DiscoveredKeyStore.NONE, policy,
                java.time.Duration.ofMillis(600)));
        bounded.init(config(context));
        Mail mail = mail(message(TestMessages.FROM, "hi"), TestMessages.FROM, "a@slow.test", "b@slow.test", "c@slow.test");

        long start = System.nanoTime();
        bounded.service(mail);

        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofMillis(1500));
        assertThat(asked).containsExactly("a@slow.test");
        var decisions = PolicyAttributes.decisions(mail);
        assertThat(decisions.get("a@slow.test").reason()).contains("discovery: wkd: gave up after its timeout of ");
        assertThat(decisions.get("c@slow.test").reason())
            .contains("discovery: not asked, the mail's bound of 600 ms was used up by other recipients");
        assertThat(decisions.values()).allSatisfy(d -> assertThat(d.outcome()).isEqualTo(org.sealgate.policy.Outcome.BOUNCE));
    }
}
