package org.sealgate.gina.portal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.ContentType;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

/**
 * A decrypted message as the portal shows it: headers, one body (HTML preferred, sanitised; else text) and the
 * attachments in document order (index = position in {@link #attachments()}). Built in memory only; nothing is
 * written to disk.
 */
public record MessageView(String subject, String from, List<String> to, List<String> cc, List<InternetAddress> replyTargets,
                          Optional<String> messageId, Optional<String> date, Optional<String> html, Optional<String> text,
                          List<Attachment> attachments, Optional<String> references) {

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    private static final Session SESSION = Session.getInstance(new Properties());

    public static MessageView parse(byte[] mime) throws IOException {
        try {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(mime));
            Body body = new Body();
            walk(message, body);
            Address[] replyTo = message.getReplyTo();
            List<InternetAddress> targets = new ArrayList<>();
            for (Address a : replyTo == null ? message.getFrom() == null ? new Address[0] : message.getFrom() : replyTo) {
                if (a instanceof InternetAddress ia) {
                    targets.add(ia);
                }
            }
            return new MessageView(Optional.ofNullable(message.getSubject()).orElse("(no subject)"),
                addresses(message.getFrom()).stream().findFirst().orElse("(unknown sender)"),
                addresses(message.getRecipients(MimeMessage.RecipientType.TO)),
                addresses(message.getRecipients(MimeMessage.RecipientType.CC)), List.copyOf(targets),
                Optional.ofNullable(message.getMessageID()), Optional.ofNullable(message.getHeader("Date", null)),
                body.html.map(HtmlSanitizing::sanitize), body.text, List.copyOf(body.attachments),
                Optional.ofNullable(message.getHeader("References", " ")));
        } catch (MessagingException e) {
            throw new IOException("the decrypted message is not readable MIME: " + e.getMessage(), e);
        }
    }

    /** Everyone the original went to (To and Cc), for reply-all. */
    public List<InternetAddress> allRecipients() {
        List<InternetAddress> all = new ArrayList<>();
        for (String a : to) {
            parseAddress(a).ifPresent(all::add);
        }
        for (String a : cc) {
            parseAddress(a).ifPresent(all::add);
        }
        return all;
    }

    private static Optional<InternetAddress> parseAddress(String text) {
        try {
            return Optional.of(new InternetAddress(text, false));
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    private static final class Body {
        Optional<String> html = Optional.empty();
        Optional<String> text = Optional.empty();
        final List<Attachment> attachments = new ArrayList<>();
    }

    private static void walk(Part part, Body body) throws MessagingException, IOException {
        ContentType type = contentType(part);
        if (type.match("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), body);
            }
            return;
        }
        String fileName = fileName(part);
        boolean attachment = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || fileName != null;
        if (!attachment && type.match("text/html") && body.html.isEmpty()) {
            body.html = Optional.of(decode(part, type));
        } else if (!attachment && type.match("text/plain") && body.text.isEmpty()) {
            body.text = Optional.of(decode(part, type));
        } else if (!attachment && type.match("message/rfc822")) {
            body.attachments.add(new Attachment("attached-message.eml", "message/rfc822", bytes(part)));
        } else {
            body.attachments.add(new Attachment(fileName == null ? "attachment-" + (body.attachments.size() + 1) : fileName,
                type.getBaseType().toLowerCase(java.util.Locale.ROOT), bytes(part)));
        }
    }

    private static ContentType contentType(Part part) throws MessagingException {
        try {
            return new ContentType(Optional.ofNullable(part.getContentType()).orElse("text/plain"));
        } catch (javax.mail.internet.ParseException e) {
            return new ContentType("application/octet-stream");
        }
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            return name == null ? null : MimeUtility.decodeText(name);
        } catch (MessagingException | IOException e) {
            return "attachment";
        }
    }

    private static String decode(Part part, ContentType type) throws MessagingException, IOException {
        Charset charset;
        try {
            charset = Charset.forName(Optional.ofNullable(type.getParameter("charset")).map(MimeUtility::javaCharset).orElse("US-ASCII"));
        } catch (IllegalArgumentException e) {
            charset = StandardCharsets.UTF_8;
        }
        return new String(bytes(part), charset);
    }

    /** A read loop on purpose: javax.mail 1.6's base64 decoder stream can truncate under readAllBytes. */
    private static byte[] bytes(Part part) throws MessagingException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = part.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(a -> a instanceof InternetAddress ia
            ? ia.toUnicodeString() : a.toString()).toList();
    }
}
