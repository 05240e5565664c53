package org.sealgate.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.sealgate.mailets.MailetFixtures;
import org.sealgate.mailets.PolicyAttributes;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.MailDecision.RecipientDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.policy.TransportSecurity;
import org.sealgate.testing.TestMessages;

/** The matchers that read the policy engine's decisions: PolicyChooses and PolicyRequiresTls. */
class PolicyChoosesTest {

    private static PolicyChooses matcher(String condition) throws MessagingException {
        PolicyChooses matcher = new PolicyChooses();
        matcher.init(FakeMatcherConfig.builder().matcherName("PolicyChooses").condition(condition)
            .mailetContext(FakeMailContext.defaultContext()).build());
        return matcher;
    }

    private static Mail decidedMail() throws MessagingException {
        Mail mail = MailetFixtures.mail(TestMessages.text("x"), TestMessages.FROM,
            "Bob@partner.test", "dave@partner.test", "erin@secure.test", "new@partner.test", "tess@tls.test", "tom@tls.test");
        String decisions = MailDecision.encode(Map.of(
            "bob@partner.test", new RecipientDecision(Outcome.SMIME, "usable S/MIME certificate"),
            "dave@partner.test", new RecipientDecision(Outcome.PLAIN, "opportunistic"),
            "erin@secure.test", new RecipientDecision(Outcome.BOUNCE, "policy requires encryption"),
            "tess@tls.test", new RecipientDecision(Outcome.SMIME, "certificate; tls=verified", TransportSecurity.VERIFIED),
            "tom@tls.test", new RecipientDecision(Outcome.TLS, "delivery over enforced TLS")));
        mail.setAttribute(new Attribute(PolicyAttributes.DECISIONS, AttributeValue.of(decisions)));
        return mail;
    }

    @Test
    void matchShouldReturnTheRecipientsWithThatOutcomeCaseInsensitively() throws Exception {
        assertThat(matcher("smime").match(decidedMail()))
            .containsExactly(new MailAddress("Bob@partner.test"), new MailAddress("tess@tls.test"));
        assertThat(matcher(" Bounce ").match(decidedMail())).containsExactly(new MailAddress("erin@secure.test"));
        assertThat(matcher("hold").match(decidedMail())).isEmpty();
    }

    @Test
    void aRecipientWithoutADecisionShouldMatchNoOutcome() throws Exception {
        for (Outcome outcome : Outcome.values()) {
            assertThat(matcher(outcome.token()).match(decidedMail())).doesNotContain(new MailAddress("new@partner.test"));
        }
    }

    @Test
    void aMailTheEngineDidNotSeeShouldMatchNothing() throws Exception {
        Mail mail = MailetFixtures.mail(TestMessages.text("x"), TestMessages.FROM, "bob@partner.test");

        assertThat(matcher("plain").match(mail)).isEmpty();
    }

    @Test
    void requiresTlsShouldMatchTheRecipientsWithExactlyThatTransport() throws Exception {
        assertThat(requiresTls("verified").match(decidedMail())).containsExactly(new MailAddress("tess@tls.test"));
        assertThat(requiresTls("required").match(decidedMail())).containsExactly(new MailAddress("tom@tls.test"));
        assertThatThrownBy(() -> requiresTls("opportunistic")).isInstanceOf(MessagingException.class);
    }

    private static PolicyRequiresTls requiresTls(String condition) throws MessagingException {
        PolicyRequiresTls matcher = new PolicyRequiresTls();
        matcher.init(FakeMatcherConfig.builder().matcherName("PolicyRequiresTls").condition(condition)
            .mailetContext(FakeMailContext.defaultContext()).build());
        return matcher;
    }

    @Test
    void initShouldRefuseAnUnknownOutcome() {
        assertThatThrownBy(() -> matcher("carrier-pigeon")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("unknown outcome 'carrier-pigeon'");
        assertThatThrownBy(() -> matcher("")).isInstanceOf(MessagingException.class);
    }
}
