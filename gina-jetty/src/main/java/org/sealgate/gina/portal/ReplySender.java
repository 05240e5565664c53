package org.sealgate.gina.portal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Secure replies: built from the decrypted original (the recipients come from it, never from the form, so the
 * portal cannot be used to mail arbitrary addresses) and handed by SMTP to the gateway's reply listener, which
 * trusts no client: the reply is the outside user's mail, so recipients outside the managed domains are refused
 * at RCPT. It goes to the accepted ones ({@code sendpartial}); the recipient learns who got it. The message
 * exists only in memory.
 */
final class ReplySender {
    static final String REPLY_HEADER = "X-Sealgate-Gina-Reply";
    private final String host;
    private final int port;

    ReplySender(String host, int port) {
        this.host = host;
        this.port = port;
    }

    enum Mode { REPLY, REPLY_ALL }

    static Mode mode(String text) {
        return "reply-all".equals(text) ? Mode.REPLY_ALL : Mode.REPLY;
    }

    /** To: the original's Reply-To (or From); Cc for reply-all: the other To/Cc recipients, without the replier. */
    static Map<String, Message.RecipientType> recipients(MessageView original, String replier, Mode mode) {
        Map<String, Message.RecipientType> out = new LinkedHashMap<>();
        for (InternetAddress a : original.replyTargets()) {
            out.putIfAbsent(a.getAddress().toLowerCase(Locale.ROOT), Message.RecipientType.TO);
        }
        if (mode == Mode.REPLY_ALL) {
            for (InternetAddress a : original.allRecipients()) {
                out.putIfAbsent(a.getAddress().toLowerCase(Locale.ROOT), Message.RecipientType.CC);
            }
        }
        out.remove(replier.toLowerCase(Locale.ROOT));
        return out;
    }

    static String replySubject(String subject) {
        return subject.regionMatches(true, 0, "Re:", 0, 3) ? subject : "Re: " + subject;
    }

    /** Sends the reply; returns the addresses it went to. */
    List<String> send(String replier, MessageView original, Mode mode, String body, List<FormInput.Upload> attachments)
        throws MessagingException {
        Map<String, Message.RecipientType> recipients = recipients(original, replier, mode);
        if (recipients.isEmpty()) {
            throw new MessagingException("the original message names nobody to reply to");
        }
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", host);
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "10000");
        properties.setProperty("mail.smtp.timeout", "30000");
        properties.setProperty("mail.smtp.from", replier);
        properties.setProperty("mail.smtp.sendpartial", "true");
        Session session = Session.getInstance(properties);
        MimeMessage reply = new MimeMessage(session);
        reply.setFrom(new InternetAddress(replier));
        for (Map.Entry<String, Message.RecipientType> r : recipients.entrySet()) {
            reply.addRecipient(r.getValue(), new InternetAddress(r.getKey()));
        }
        reply.setSubject(replySubject(original.subject()), "UTF-8");
        original.messageId().ifPresent(id -> {
            try {
                reply.setHeader("In-Reply-To", id);
                reply.setHeader("References", original.references().map(r -> r + " " + id).orElse(id));
                reply.setHeader(REPLY_HEADER, id);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body, "UTF-8");
        if (attachments.isEmpty()) {
            reply.setText(body, "UTF-8");
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text);
            for (FormInput.Upload upload : attachments) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(upload.content(), "application/octet-stream")));
                part.setFileName(upload.fileName());
                part.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            reply.setContent(mixed);
        }
        reply.saveChanges();
        try {
            Transport.send(reply);
        } catch (SendFailedException e) {
            Address[] sent = e.getValidSentAddresses();
            if (sent == null || sent.length == 0) {
                throw e;
            }
            return Arrays.stream(sent).map(a -> ((InternetAddress) a).getAddress().toLowerCase(Locale.ROOT)).toList();
        }
        return new ArrayList<>(recipients.keySet());
    }
}
