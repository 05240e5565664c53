package org.sealgate.bench;

import java.io.ByteArrayOutputStream;
import java.util.Properties;
import java.util.Random;

import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/** The message the crypto benchmarks protect: a short text and a random attachment of the benchmark's size. */
final class BenchMessages {
    private BenchMessages() {
    }

    static MimeMessage message(String from, String to, int attachmentSize) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(from);
        message.setRecipients(MimeMessage.RecipientType.TO, to);
        message.setSubject("benchmark");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Please find the report attached.", "UTF-8");
        byte[] bytes = new byte[attachmentSize];
        new Random(attachmentSize).nextBytes(bytes);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new javax.activation.DataHandler(new ByteArrayDataSource(bytes, "application/octet-stream")));
        attachment.setFileName("report.bin");
        MimeMultipart multipart = new MimeMultipart();
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    /** The bytes both sides protect: the message's content entity, as the facade sees it. */
    static byte[] contentEntity(MimeMessage message) throws Exception {
        MimeBodyPart part = new MimeBodyPart();
        part.setContent((MimeMultipart) message.getContent());
        part.setHeader("Content-Type", message.getContentType());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.writeTo(out);
        return out.toByteArray();
    }
}
