package org.sealgate.matchers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.base.GenericMatcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.FileKeyDirectory;
import org.sealgate.mailets.MailetFixtures;
import org.sealgate.mailets.RecipientCertificates;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.testing.TestMessages;
import org.sealgate.testing.TestPki;

class MatchersTest {
    private static final PolicyProvider POLICY = MailetFixtures.policy(
        "default.encrypt = opportunistic",
        "domain.off.test.encrypt = off",
        "domain.strict.test.encrypt = required",
        "domain.strict2.test.encrypt = REQUIRED");

    private final SmimeCrypto crypto = new SmimeCrypto();
    private FileKeyDirectory keys;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        keys = FileKeyDirectory.open(dir);
        keys.addCertificate(MailetFixtures.identity("bob@partner.test").certificate());
        keys.addCertificate(MailetFixtures.identity("olga@off.test").certificate());
        keys.addCertificate(MailetFixtures.identity("sam@strict.test").certificate());
        keys.addCertificate(MailetFixtures.expired("old@partner.test").certificate());
        keys.addCertificate(MailetFixtures.signingOnly("signer@partner.test").certificate());
        keys.addCertificate(MailetFixtures.identity("revoked@partner.test").certificate());
        keys.addCrl(TestPki.ca().crl(List.of(MailetFixtures.identity("revoked@partner.test").certificate().getSerialNumber())));
    }

    private static Collection<String> match(GenericMatcher matcher, String... recipients) throws MessagingException {
        matcher.init(FakeMatcherConfig.builder().matcherName(matcher.getClass().getSimpleName())
            .mailetContext(FakeMailContext.defaultContext()).build());
        FakeMail mail = FakeMail.builder().name("m").sender(TestMessages.FROM).recipients(recipients)
            .mimeMessage(TestMessages.text("x")).build();
        Collection<MailAddress> matched = matcher.match(mail);
        return matched == null ? List.of() : matched.stream().map(MailAddress::asString).toList();
    }

    @Test
    void hasUsableCertificateShouldMatchOnlyRecipientsWithAUsableCertificate() throws Exception {
        HasUsableCertificate matcher = new HasUsableCertificate(new RecipientCertificates(keys, crypto), POLICY);

        assertThat(match(matcher, "bob@partner.test", "nobody@partner.test", "old@partner.test",
            "signer@partner.test", "revoked@partner.test", "sam@strict.test"))
            .containsExactly("bob@partner.test", "sam@strict.test");
    }

    @Test
    void hasUsableCertificateShouldExcludeRecipientsWhoseDomainSwitchesEncryptionOff() throws Exception {
        HasUsableCertificate matcher = new HasUsableCertificate(new RecipientCertificates(keys, crypto), POLICY);

        assertThat(match(matcher, "olga@off.test", "bob@partner.test")).containsExactly("bob@partner.test");
    }

    @Test
    void hasUsableCertificateShouldMatchCaseInsensitively() throws Exception {
        HasUsableCertificate matcher = new HasUsableCertificate(new RecipientCertificates(keys, crypto), POLICY);

        assertThat(match(matcher, "Bob@Partner.TEST", "Olga@OFF.test")).containsExactly("Bob@partner.test");
    }

    @Test
    void hasUsableCertificateShouldMatchNobodyWhenNoCertificateIsUsable() throws Exception {
        HasUsableCertificate matcher = new HasUsableCertificate(new RecipientCertificates(keys, crypto), POLICY);

        assertThat(match(matcher, "nobody@partner.test", "old@partner.test")).isEmpty();
    }

    @Test
    void encryptionRequiredShouldMatchOnlyRecipientsWhoseDomainRequiresEncryption() throws Exception {
        EncryptionRequired matcher = new EncryptionRequired(POLICY);

        assertThat(match(matcher, "bob@partner.test", "sam@strict.test", "olga@off.test", "x@STRICT2.test"))
            .containsExactly("sam@strict.test", "x@strict2.test");
    }

    @Test
    void encryptionRequiredShouldMatchEveryoneWhenTheDefaultRequiresEncryption() throws Exception {
        EncryptionRequired matcher = new EncryptionRequired(MailetFixtures.policy(
            "default.encrypt = required", "domain.off.test.encrypt = off"));

        assertThat(match(matcher, "bob@partner.test", "olga@off.test", "z@any.test"))
            .containsExactly("bob@partner.test", "z@any.test");
    }
}
