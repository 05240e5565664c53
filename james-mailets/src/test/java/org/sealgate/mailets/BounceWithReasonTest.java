package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sealgate.mailets.MailetFixtures.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.Prerequisites;
import org.sealgate.testing.TestMessages;

class BounceWithReasonTest {
    private FakeMailContext context;
    private BounceWithReason mailet;

    @BeforeEach
    void setUp() throws MessagingException {
        context = FakeMailContext.builder().postmaster(new MailAddress("postmaster@sealgate.test")).build();
        mailet = new BounceWithReason();
        mailet.init(config(context, "orphanProcessor", "quarantine", "reportingMta", "gateway.test"));
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
    void bounceShouldSendTheSenderADeliveryStatusNoticeWithTheReasonAndLeaveTheRestToThePipeline() throws Exception {
        FakeMail mail = mail(MaybeSender.of(new MailAddress(TestMessages.FROM)));
        AuditTrail.recordReason(mail, "policy requires encryption: no certificate known for bob@partner.test");
        String stateBefore = mail.getState();

        mailet.service(mail);

        // The audit step and Null that follow it in the pipeline end the mail: one audit event per mail.
        assertThat(mail.getState()).isEqualTo(stateBefore).isNotEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).isEmpty();
        FakeMailContext.SentMail notice = context.getSentMails().get(0);
        assertThat(context.getSentMails()).hasSize(1);
        assertThat(notice.getSender()).isNull();   // the null sender, as FakeMailContext records it
        assertThat(MailetFixtures.recipients(notice)).containsExactly(TestMessages.FROM);
        assertThat(notice.getMsg().getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        String text = text(notice.getMsg());
        assertThat(text).contains("Reason: Your message was not sent. policy requires encryption: no certificate known for"
            + " bob@partner.test", "Final-Recipient: rfc822; bob@partner.test", "Action: failed", "Status: 5.7.1",
            "Reporting-MTA: dns; gateway.test");
        assertThat(text).doesNotContain("\r\nx\r\n");
    }

    @Test
    void bounceShouldUseAGenericReasonWhenNoneWasRecorded() throws Exception {
        FakeMail mail = mail(MaybeSender.of(new MailAddress(TestMessages.FROM)));

        mailet.service(mail);

        assertThat(text(context.getSentMails().get(0).getMsg()))
            .contains("Reason: Your message was not sent. refused by gateway policy");
    }

    /** A standard parser (Python's email package) reads the notice as RFC 3464 shapes it, the reason in the human part. */
    @Test
    void noticeShouldBeUnderstoodByPythonsEmailPackage() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 (Debian package python3)");
        FakeMail mail = mail(MaybeSender.of(new MailAddress(TestMessages.FROM)));
        AuditTrail.recordReason(mail, "policy requires encryption: no certificate known for bob@partner.test");
        mailet.service(mail);
        Path file = Files.createTempFile("policy-dsn", ".eml");
        try {
            try (var out = Files.newOutputStream(file)) {
                context.getSentMails().get(0).getMsg().writeTo(out);
            }
            String script = String.join("\n",
                "import email, sys",
                "from email import policy",
                "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)",
                "assert m.get_content_type() == 'multipart/report', m.get_content_type()",
                "assert m.get_param('report-type') == 'delivery-status'",
                "human, status, headers = m.get_payload()",
                "print('HUMAN', human.get_content().strip().replace('\\r', '').replace('\\n', ' | '))",
                "assert status.get_content_type() == 'message/delivery-status'",
                "per_message, per_recipient = status.get_payload()[0], status.get_payload()[1:]",
                "print('REPORTING', per_message['Reporting-MTA'])",
                "for r in per_recipient:",
                "    print('RECIPIENT', r['Final-Recipient'], r['Action'], r['Status'], r['Diagnostic-Code'])",
                "print('HEADERS', headers.get_content_type())");
            Process python = new ProcessBuilder("python3", "-c", script, file.toString()).redirectErrorStream(true).start();
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(output).isZero();
            assertThat(output).contains("HUMAN Your message could not be delivered to: |     bob@partner.test")
                .contains("Reason: Your message was not sent. policy requires encryption: no certificate known for bob@partner.test")
                .contains("REPORTING dns; gateway.test")
                .contains("RECIPIENT rfc822; bob@partner.test failed 5.7.1 X-Sealgate; Your message was not sent. policy requires"
                    + " encryption: no certificate known for bob@partner.test")
                .contains("HEADERS text/rfc822-headers");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String text(javax.mail.internet.MimeMessage message) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
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
