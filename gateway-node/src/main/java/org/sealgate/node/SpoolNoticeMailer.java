package org.sealgate.node;

import java.util.Properties;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.matchers.SMTPIsAuthNetwork;
import org.apache.mailet.Mail;
import org.sealgate.routes.jobs.NoticeMailer;

/**
 * Notices from the gateway itself (expiry warnings) into James's spool: the node's own pipeline sends them on, like
 * mail from a trusted client, with the null sender as DSNs have (nothing bounces back to the gateway, no loops).
 */
final class SpoolNoticeMailer implements NoticeMailer {
    private final SpoolProbe spool;

    SpoolNoticeMailer(SpoolProbe spool) {
        this.spool = spool;
    }

    @Override
    public void send(String to, String subject, String body) throws Exception {
        MailAddress recipient = new MailAddress(to); // refuses anything that is not one address
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(to, "Sealgate gateway"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setText(body, "UTF-8");
        message.setHeader("Auto-Submitted", "auto-generated");
        message.saveChanges();
        Mail mail = MailImpl.builder()
            .name("notice-" + System.nanoTime())
            .sender(MaybeSender.nullSender())
            .addRecipient(recipient)
            .remoteAddr("127.0.0.1")
            .remoteHost("localhost")
            .mimeMessage(message)
            .state(Mail.DEFAULT)
            .addAttribute(SMTPIsAuthNetwork.makeAttribute(true))
            .build();
        try {
            spool.spool().enQueue(mail);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }
}
