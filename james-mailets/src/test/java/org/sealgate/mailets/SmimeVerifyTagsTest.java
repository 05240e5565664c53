package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.nio.file.Path;

import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyRules;
import org.sealgate.testing.TestMessages;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.testing.TestPki;

/** Inbound subject tags from the policy (per recipient: user, domain, default) over the mailet's init parameters. */
class SmimeVerifyTagsTest {
    private static final PolicyRules POLICY = MailetFixtures.policy(
        "domain.de.sealgate.test.tag-valid = [Signatur gültig]",
        "user.quiet@sealgate.test.subject-tags = off");

    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        keys = FileKeyDirectory.open(dir);
        // The gateway's own CA, scoped to the managed domain as the demo does (unscoped anchors never vouch for it).
        keys.addTrustAnchor(new ScopedAnchor(TestPki.ca().certificate(),
            ScopedAnchor.parseDomains(MailetFixtures.MANAGED_DOMAIN + ", *." + MailetFixtures.MANAGED_DOMAIN + ", evil.test")));
    }

    private SmimeVerify mailet() throws Exception {
        SmimeVerify mailet = new SmimeVerify(crypto, keys, POLICY, new KeyHarvester(keys, PgpKeyDirectory.NONE, event -> { }));
        mailet.init(config(context, "subjectTags", "true"));
        return mailet;
    }

    private MimeMessage signedByAlice() throws Exception {
        return TestMessages.parse(TestMessages.bytes(crypto.sign(TestMessages.text("hello"), TestPki.aliceRsa().toManagedIdentity())));
    }

    @Test
    void aRecipientsPolicyShouldChooseTheTagText() throws Exception {
        Mail mail = mail(signedByAlice(), TestMessages.FROM, "hans@de.sealgate.test");

        mailet().service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("[Signatur gültig] Plain text");
    }

    @Test
    void aUserMaySwitchTagsOffWhileTheHeaderStays() throws Exception {
        Mail mail = mail(signedByAlice(), TestMessages.FROM, "quiet@sealgate.test");

        mailet().service(mail);

        assertThat(mail.getMessage().getSubject()).isEqualTo("Plain text");
        assertThat(mail.getMessage().getHeader(SmimeVerify.SIGNATURE_HEADER)[0]).startsWith("valid");
    }

    @Test
    void recipientsWithDifferentTagsShouldBeSplit() throws Exception {
        Mail mail = mail(signedByAlice(), TestMessages.FROM, "erin@sealgate.test", "quiet@sealgate.test");
        mail.setState("inbound");

        mailet().service(mail);

        assertThat(MailetFixtures.recipients(mail)).containsExactly("erin@sealgate.test");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[signed OK] Plain text");
        assertThat(context.getSentMails()).hasSize(1);
        assertThat(MailetFixtures.recipients(context.getSentMails().get(0))).containsExactly("quiet@sealgate.test");
        assertThat(context.getSentMails().get(0).getState()).isEqualTo("inbound");
    }
}
