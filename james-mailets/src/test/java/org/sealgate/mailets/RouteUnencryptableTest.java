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

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class RouteUnencryptableTest {
    private final SmimeCrypto crypto = new SmimeCrypto();
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private FileKeyDirectory keys;
    private RouteUnencryptable mailet;

    @BeforeEach
    void setUp(@TempDir Path dir) throws MessagingException {
        keys = FileKeyDirectory.open(dir);
        for (String domain : List.of("partner.test", "hold.test")) {
            keys.addCertificate(MailetFixtures.expired("expired@" + domain).certificate());
            keys.addCertificate(MailetFixtures.signingOnly("signonly@" + domain).certificate());
            keys.addCertificate(identity("revoked@" + domain).certificate());
            keys.addCrl(TestPki.ca().crl(List.of(identity("revoked@" + domain).certificate().getSerialNumber())));
        }
        mailet = new RouteUnencryptable(new RecipientCertificates(keys, crypto),
            MailetFixtures.policy("default.encrypt = required", "domain.hold.test.unencryptable = hold"));
        mailet.init(config(context, "bounceProcessor", "bounce-unencryptable", "holdProcessor", "quarantine"));
    }

    @Test
    void initShouldFailWithoutBounceProcessor() {
        assertThatThrownBy(() -> new RouteUnencryptable(new RecipientCertificates(keys, crypto), MailetFixtures.policy())
            .init(config(context, "holdProcessor", "quarantine")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("bounceProcessor");
    }

    @Test
    void initShouldFailWithoutHoldProcessor() {
        assertThatThrownBy(() -> new RouteUnencryptable(new RecipientCertificates(keys, crypto), MailetFixtures.policy())
            .init(config(context, "bounceProcessor", "bounce-unencryptable", "holdProcessor", " ")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("holdProcessor");
    }

    @ParameterizedTest(name = "{0}@{1} -> {2}")
    @CsvSource({
        "nobody,   partner.test, bounce-unencryptable, no certificate known for nobody@partner.test",
        "expired,  partner.test, bounce-unencryptable, certificate for expired@partner.test is not usable: expired",
        "revoked,  partner.test, bounce-unencryptable, certificate for revoked@partner.test is not usable: revoked",
        "signonly, partner.test, bounce-unencryptable, certificate for signonly@partner.test is not usable: wrong-key-usage",
        "nobody,   hold.test,    quarantine,           no certificate known for nobody@hold.test",
        "expired,  hold.test,    quarantine,           certificate for expired@hold.test is not usable: expired",
        "revoked,  hold.test,    quarantine,           certificate for revoked@hold.test is not usable: revoked",
        "signonly, hold.test,    quarantine,           certificate for signonly@hold.test is not usable: wrong-key-usage",
    })
    void routeShouldRecordThePreciseReasonAndFollowTheRecipientDomainPolicy(String local, String domain,
                                                                              String expectedState, String expectedReason)
        throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, local + "@" + domain);

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(expectedState);
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason ->
            assertThat(reason).startsWith("policy requires encryption: " + expectedReason));
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void routeShouldListTheReasonOfEveryRecipient() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, "nobody@partner.test", "expired@partner.test");

        mailet.service(mail);

        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason -> assertThat(reason)
            .contains("no certificate known for nobody@partner.test; certificate for expired@partner.test"));
    }

    @Test
    void routeShouldSplitRecipientsWhoseDomainsDisagreeAndRequeueTheCopyToTheCurrentProcessor() throws Exception {
        Mail mail = mail(TestMessages.text("x"), TestMessages.FROM, "nobody@partner.test", "nobody@hold.test",
            "expired@partner.test");
        mail.setState("encrypt");

        mailet.service(mail);

        assertThat(recipients(mail)).containsExactly("nobody@partner.test", "expired@partner.test");
        assertThat(mail.getState()).isEqualTo("bounce-unencryptable");
        assertThat(AuditTrail.reason(mail)).hasValueSatisfying(reason -> assertThat(reason).doesNotContain("hold.test"));
        assertThat(context.getSentMails()).singleElement().satisfies(copy -> {
            assertThat(copy.getState()).isEqualTo("encrypt");
            assertThat(recipients(copy)).containsExactly("nobody@hold.test");
        });
    }
}
