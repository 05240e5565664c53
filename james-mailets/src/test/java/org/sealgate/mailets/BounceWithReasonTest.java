package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

class BounceWithReasonTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private BounceWithReason mailet;

    @BeforeEach
    void setUp() throws MessagingException {
        mailet = new BounceWithReason();
        mailet.init(config(context, "orphanProcessor", "quarantine"));
    }

    private static FakeMail mail(MaybeSender sender) throws MessagingException {
        return FakeMail.builder().name("bounce-me").sender(sender).recipient("bob@partner.test")
            .mimeMessage(TestMessages.text("x")).state("bounce-unencryptable").build();
    }

    @Test
    void initShouldFailWithoutOrphanProcessor() {
        assertThatThrownBy(() -> new BounceWithReason().init(config(context)))
            .isInstanceOf(MessagingException.class).hasMessageContaining("orphanProcessor");
        assertThatThrownBy(() -> new BounceWithReason().init(config(context, "orphanProcessor", "   ")))
            .isInstanceOf(MessagingException.class).hasMessageContaining("orphanProcessor");
    }

    @Test
    void bounceShouldReturnTheMailWithTheRecordedReasonAndLeaveTheRestToThePipeline() throws Exception {
        FakeMail mail = mail(MaybeSender.of(new MailAddress(TestMessages.FROM)));
        AuditTrail.recordReason(mail, "policy requires encryption: no certificate known for bob@partner.test");
        String stateBefore = mail.getState();

        mailet.service(mail);

        // The audit step and Null that follow it in the pipeline end the mail: one audit event per mail.
        assertThat(mail.getState()).isEqualTo(stateBefore).isNotEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).singleElement().satisfies(bounce -> {
            assertThat(bounce.getMessage()).isEqualTo(
                "Your message was not sent. policy requires encryption: no certificate known for bob@partner.test");
            assertThat(bounce.getSentMail().getSender().asString()).isEqualTo(TestMessages.FROM);
        });
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void bounceShouldUseAGenericReasonWhenNoneWasRecorded() throws Exception {
        FakeMail mail = mail(MaybeSender.of(new MailAddress(TestMessages.FROM)));

        mailet.service(mail);

        assertThat(context.getBouncedMails()).singleElement()
            .satisfies(bounce -> assertThat(bounce.getMessage()).isEqualTo("Your message was not sent. refused by gateway policy"));
    }

    @Test
    void bounceShouldSendANullSenderMailToTheOrphanProcessorInsteadOfBouncingIt() throws Exception {
        FakeMail mail = mail(MaybeSender.nullSender());
        AuditTrail.recordReason(mail, "policy requires encryption");

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(context.getSentMails()).isEmpty();
    }
}
