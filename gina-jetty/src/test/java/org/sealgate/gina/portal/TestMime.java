package org.sealgate.gina.portal;

import java.io.ByteArrayOutputStream;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/** Original messages as the gateway would seal them. */
final class TestMime {
    static final byte[] ATTACHMENT = attachmentBytes();

    private TestMime() {
    }

    /** HTML body with a script and an event handler, a text alternative, and a binary PDF-typed attachment. */
    static byte[] message(String from, String to, String cc, String subject, String html) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, to);
        if (cc != null) {
            message.setRecipients(Message.RecipientType.CC, cc);
        }
        message.setSubject(subject, "UTF-8");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("The quarterly figures are attached.", "UTF-8");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setContent(html, "text/html; charset=UTF-8");
        alternative.addBodyPart(text);
        alternative.addBodyPart(htmlPart);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(ATTACHMENT, "application/pdf")));
        attachment.setFileName("figures.pdf");
        attachment.setDisposition(MimeBodyPart.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(attachment);
        message.setContent(mixed);
        message.saveChanges();
        message.setHeader("Message-ID", "<original-" + System.nanoTime() + "@sealgate.test>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    static byte[] standard(String to) throws Exception {
        return message(PortalFixture.ALICE, to, "bob@sealgate.test", "Quarterly figures",
            "<p>Hello <b>Carol</b>, the <i>figures</i> are attached.</p>"
                + "<script>document.title='pwned'</script><img src=x onerror=\"alert(1)\"><a href=\"javascript:alert(2)\">x</a>");
    }

    private static byte[] attachmentBytes() {
        byte[] bytes = new byte[70_001];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 7));
        }
        return bytes;
    }
}
