package org.sealgate.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Random;
import javax.activation.DataHandler;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * MimeMessages for tests. Every message is serialised and parsed again, so it behaves like a received message
 * (stable raw bytes, no Message-ID regenerated on write).
 */
public final class TestMessages {
    public static final String FROM = "alice@sealgate.test";
    public static final String TO = "bob@partner.test";
    private static final Session SESSION = Session.getInstance(new Properties());

    private TestMessages() {
    }

    public static Session session() {
        return SESSION;
    }

    public static MimeMessage text(String body) {
        return build(FROM, TO, "Plain text", message -> message.setText(body, "utf-8"));
    }

    public static MimeMessage textFrom(String from, String body) {
        return build(from, TO, "Plain text", message -> message.setText(body, "utf-8"));
    }

    public static MimeMessage alternative(String text, String html) {
        return build(FROM, TO, "Alternative", message -> {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "utf-8");
            MimeBodyPart rich = new MimeBodyPart();
            rich.setContent(html, "text/html; charset=utf-8");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(rich);
            message.setContent(alternative);
        });
    }

    /** multipart/mixed: a text part and a base64 application/octet-stream attachment "data.bin". */
    public static MimeMessage withAttachment(String text, byte[] attachment) {
        return build(FROM, TO, "With attachment", message -> {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart plain = new MimeBodyPart();
            plain.setText(text, "utf-8");
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
            file.setFileName("data.bin");
            file.setHeader("Content-Transfer-Encoding", "base64");
            mixed.addBodyPart(plain);
            mixed.addBodyPart(file);
            message.setContent(mixed);
        });
    }

    /** A text/plain part declared 8bit with raw UTF-8 octets, as many MUAs send it. */
    public static MimeMessage eightBit() {
        return parse("From: " + FROM + "\r\nTo: " + TO + "\r\nSubject: 8bit\r\nMessage-ID: <8bit@sealgate.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Grüße aus Zürich – naïve café\r\nZweite Zeile ✓\r\n");
    }

    /** A 7bit text part with a 2000-character line: over RFC 5322's 998 limit, a relay would fold it. */
    public static MimeMessage longLines() {
        return parse("From: " + FROM + "\r\nTo: " + TO + "\r\nSubject: long\r\nMessage-ID: <long@sealgate.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + "start " + "x".repeat(2000) + " end\r\nshort line\r\n");
    }

    public static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Use instead of InputStream#readAllBytes on JavaMail streams (its base64 decoder misreads at an offset). */
    public static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) != -1) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static MimeMessage parse(String raw) {
        return parse(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static MimeMessage parse(byte[] raw) {
        try {
            return new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(Part message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decoded bytes of the first part with a file name, searched depth-first. */
    public static byte[] attachment(Part part) {
        try {
            if (part.getFileName() != null && !part.isMimeType("multipart/*")) {
                try (InputStream in = part.getInputStream()) {
                    return readAll(in);
                }
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    byte[] found = attachment(child);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decoded text of the first text/plain part, searched depth-first. */
    public static String firstText(Part part) {
        try {
            if (part.isMimeType("text/plain")) {
                return (String) part.getContent();
            }
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    String found = firstText(multipart.getBodyPart(i));
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Filler {
        void fill(MimeMessage message) throws MessagingException;
    }

    private static MimeMessage build(String from, String to, String subject, Filler filler) {
        try {
            MimeMessage message = new MimeMessage(SESSION);
            message.setFrom(from);
            message.setRecipients(javax.mail.Message.RecipientType.TO, to);
            message.setSubject(subject);
            filler.fill(message);
            message.saveChanges();
            return parse(bytes(message));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
