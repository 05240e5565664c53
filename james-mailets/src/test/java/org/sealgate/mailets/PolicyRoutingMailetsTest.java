package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;

import java.util.Map;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.MailDecision.RecipientDecision;
import org.sealgate.policy.Outcome;
import org.sealgate.testing.TestMessages;

/** The small mailets around the engine: the trusted-header capture and the routing with the engine's reason. */
class PolicyRoutingMailetsTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @Test
    void captureShouldKeepTheHeaderValueInAnAttribute() throws Exception {
        MimeMessage message = TestMessages.text("x");
        message.setHeader("X-Sealgate-Encrypt", " yes ");
        Mail mail = MailetFixtures.mail(message, TestMessages.FROM, "bob@partner.test");
        CaptureEncryptHeader capture = new CaptureEncryptHeader();
        capture.init(config(context));

        capture.service(mail);

        assertThat(MailetFixtures.attribute(mail, PolicyAttributes.ENCRYPT_HEADER)).isEqualTo("yes");
    }

    @Test
    void captureShouldDoNothingWithoutTheHeader() throws Exception {
        Mail mail = MailetFixtures.mail(TestMessages.text("x"), TestMessages.FROM, "bob@partner.test");
        CaptureEncryptHeader capture = new CaptureEncryptHeader();
        capture.init(config(context));

        capture.service(mail);

        assertThat(mail.getAttribute(PolicyAttributes.ENCRYPT_HEADER)).isEmpty();
    }

    @Test
    void routeShouldRecordTheReasonsOfTheMailsRecipientsAndMoveOn() throws Exception {
        Mail mail = MailetFixtures.mail(TestMessages.text("x"), TestMessages.FROM, "erin@secure.test");
        mail.setAttribute(new Attribute(PolicyAttributes.DECISIONS, AttributeValue.of(MailDecision.encode(Map.of(
            "erin@secure.test", new RecipientDecision(Outcome.BOUNCE, "policy requires encryption: no certificate known"),
            "bob@partner.test", new RecipientDecision(Outcome.SMIME, "usable S/MIME certificate"))))));
        RouteWithPolicyReason route = new RouteWithPolicyReason();
        route.init(config(context, "processor", "bounce-unencryptable"));

        route.service(mail);

        assertThat(mail.getState()).isEqualTo("bounce-unencryptable");
        assertThat(AuditTrail.reason(mail)).contains("policy requires encryption: no certificate known");
    }

    @Test
    void routeShouldRequireAProcessor() {
        assertThatThrownBy(() -> new RouteWithPolicyReason().init(config(context)))
            .isInstanceOf(MessagingException.class).hasMessageContaining("processor");
    }
}
