package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.io.ByteArrayInputStream;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sealgate.crypto.MimeLimits;
import org.sealgate.testing.HostileMime;
import org.sealgate.testing.TestMessages;

class CheckMailLimitsTest {
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @AfterEach
    void restoreDefaults() {
        MimeLimits.useForUnwrappedContent(MimeLimits.DEFAULTS);
    }

    private CheckMailLimits mailet(String... more) throws MessagingException {
        String[] parameters = new String[more.length + 2];
        parameters[0] = "failureProcessor";
        parameters[1] = "quarantine";
        System.arraycopy(more, 0, parameters, 2, more.length);
        CheckMailLimits mailet = new CheckMailLimits();
        mailet.init(config(context, parameters));
        return mailet;
    }

    private static MimeMessage message(byte[] entity) throws MessagingException {
        byte[] head = "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + entity.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return new MimeMessage(Session.getInstance(new java.util.Properties()), new ByteArrayInputStream(all));
    }

    @Test
    void deeplyNestedMailShouldGoToTheFailureProcessorWithTheLimitAsReason() throws Exception {
        Mail mail = mail(message(HostileMime.nestedMultiparts(20_000, "deep")), "a@example.com", "b@example.com");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("mail exceeds a limit: MIME nesting deeper than 32 levels");
    }

    @Test
    void ordinaryMailShouldPassUntouched() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(AuditTrail.reason(mail)).isEmpty();
    }

    @Test
    void tooManyRecipientsShouldGoToTheFailureProcessor() throws Exception {
        Mail mail = mail(TestMessages.text("hello"), "a@example.com", "b@example.com", "c@example.com", "d@example.com");

        mailet("maxRecipients", "2").service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(AuditTrail.reason(mail).orElseThrow()).contains("more than 2 recipients");
    }

    @Test
    void initShouldSetTheLimitsForUnwrappedContent() throws Exception {
        mailet("maxDepth", "5", "maxUnwrappedKb", "2048");

        assertThat(MimeLimits.forUnwrappedContent().maxDepth()).isEqualTo(5);
        assertThat(MimeLimits.forUnwrappedContent().maxUnwrappedBytes()).isEqualTo(2048L * 1024);
    }

    @Test
    void initShouldRefuseNonsenseLimits() {
        assertThatThrownBy(() -> mailet("maxDepth", "0")).isInstanceOf(MessagingException.class).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> mailet("maxParts", "many")).isInstanceOf(MessagingException.class).hasMessageContaining("maxParts");
        assertThatThrownBy(() -> mailet("maxHeaderLineLength", "100")).isInstanceOf(MessagingException.class)
            .hasMessageContaining("998");
        assertThatThrownBy(() -> new CheckMailLimits().init(config(context))).isInstanceOf(MessagingException.class)
            .hasMessageContaining("failureProcessor");
    }
}
