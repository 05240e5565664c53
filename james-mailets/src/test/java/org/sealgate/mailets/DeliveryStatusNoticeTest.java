package org.sealgate.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sealgate.mailets.MailetFixtures.config;
import static org.sealgate.mailets.MailetFixtures.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sealgate.testing.TestMessages;

class DeliveryStatusNoticeTest {
    private FakeMailContext context;
    private DeliveryStatusNotice mailet;

    @BeforeEach
    void setUp() throws Exception {
        context = FakeMailContext.builder().postmaster(new MailAddress("postmaster@sealgate.test")).build();
        mailet = new DeliveryStatusNotice();
        mailet.init(config(context, "reportingMta", "gw.sealgate.test"));
    }

    @Test
    void noticeShouldQuoteArrivalHeadersOnlyAndNeverTheBodyOrDecryptedHeaders() throws Exception {
        MimeMessage decrypted = TestMessages.textFrom("attacker@evil.test", "the decrypted secret");
        decrypted.setSubject("Decrypted protected subject");
        decrypted.saveChanges();
        Mail mail = mail(decrypted, "attacker@evil.test", "bob@sealgate.test");
        mail.setAttribute(new Attribute(RecordArrivalHeaders.ARRIVAL_HEADERS,
            AttributeValue.of("From: attacker@evil.test\r\nSubject: ...\r\n")));
        mail.setAttribute(new Attribute(DeliveryStatusNotice.DELIVERY_ERROR,
            AttributeValue.of("550 5.1.1 no such user\r\nBcc: injected@evil.test")));

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail sent = context.getSentMails().get(0);
        assertThat(sent.getSender()).isNull();
        assertThat(MailetFixtures.recipients(sent)).containsExactly("attacker@evil.test");
        String text = text(sent.getMsg());
        assertThat(text).contains("Subject: ...", "Status: 5.1.1", "Final-Recipient: rfc822; bob@sealgate.test")
            .doesNotContain("the decrypted secret").doesNotContain("Decrypted protected subject");
        assertThat(sent.getMsg().getHeader("Bcc")).isNull();          // the reason cannot add header lines
        MimeMultipart report = (MimeMultipart) sent.getMsg().getContent();
        assertThat(sent.getMsg().getContentType()).contains("multipart/report", "report-type=delivery-status");
        assertThat(report.getCount()).isEqualTo(3);
        assertThat(report.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        assertThat(report.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
    }

    @Test
    void mailWithoutArrivalRecordShouldBeReportedByMessageIdOnly() throws Exception {
        MimeMessage message = TestMessages.textFrom("alice@sealgate.test", "body text");
        message.setSubject("inner subject");
        message.saveChanges();
        mailet.service(mail(message, "alice@sealgate.test", "gone@partner.test"));

        String text = text(context.getSentMails().get(0).getMsg());
        assertThat(text).contains("Message-ID: ").doesNotContain("inner subject").doesNotContain("body text");
    }

    @Test
    void mailWithNullSenderShouldGetNoNoticeAndEndHere() throws Exception {
        Mail mail = MailImpl.builder().name("null-sender").sender(MaybeSender.nullSender())
            .addRecipient(new MailAddress("gone@partner.test"))
            .mimeMessage(TestMessages.textFrom("postmaster@sealgate.test", "a notice")).build();

        mailet.service(mail);

        assertThat(context.getSentMails()).isEmpty();
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void eightBitArrivalHeadersShouldTravelBase64() throws Exception {
        Mail mail = mail(TestMessages.textFrom("a@sealgate.test", "x"), "a@sealgate.test", "b@partner.test");
        mail.setAttribute(new Attribute(RecordArrivalHeaders.ARRIVAL_HEADERS, AttributeValue.of("Subject: Grüße\r\n")));

        mailet.service(mail);

        MimeMultipart report = (MimeMultipart) context.getSentMails().get(0).getMsg().getContent();
        assertThat(report.getBodyPart(2).getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(new String(report.getBodyPart(2).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("Subject: Grüße\r\n");
    }

    private static String text(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
