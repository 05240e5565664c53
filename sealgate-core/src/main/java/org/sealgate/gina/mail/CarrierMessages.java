package org.sealgate.gina.mail;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;

import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;

/**
 * Builds the (not yet signed) carrier mail for one GINA recipient: From and Subject of the original, To the
 * recipient, the original's Message-ID, a text part with the notification and the attachment
 * {@code secure-message.html} (quoted-printable: the page's container is base64url already, which needs only soft
 * line breaks; base64 over it would add a third to every hop's bytes).
 * Nothing of the original body is in clear.
 *
 * <p>The carrier's content is laid out here as the bytes that get signed, in canonical form (7-bit, CRLF, lines of
 * at most 76 octets), for {@code SmimeCrypto.signCanonical}: built as a JavaMail tree, it was serialised again and
 * scanned byte by byte by the signer, a fifth of the GINA mailet's time at 1 MB.
 */
public final class CarrierMessages {
    /** Header on every carrier: the container's key id, for administrators tracing a message. */
    public static final String HEADER = "X-Sealgate-Gina";
    private static final String CRLF = "\r\n";
    /**
     * One JavaMail session for every carrier: {@code Session.getInstance} reads the provider and address maps from
     * every jar on the classpath, which was a quarter of the GINA mailet's CPU when done per mail. Carriers use no
     * transport; the session only lends its (never changed) properties to the message.
     */
    private static final Session SESSION = Session.getInstance(new Properties());
    private static final SecureRandom RANDOM = new SecureRandom();

    private CarrierMessages() {
    }

    /**
     * A carrier ready to be signed: its header fields (folded and encoded, no content fields) and its content entity
     * in {@code entity[0, length)}.
     */
    public record Carrier(List<String> headerLines, byte[] entity, int length) {
        /** The carrier as an unsigned message (the gateway signs header lines and entity instead). */
        public MimeMessage unsigned() throws MessagingException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(length + 4096);
            for (String line : headerLines) {
                out.writeBytes((line + CRLF).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(entity, 0, length);   // its content header lines continue the header block
            return new MimeMessage(SESSION, new SharedByteArrayInputStream(out.toByteArray()));
        }
    }

    /**
     * @param sender the sender's address, shown in the notice
     * @param agent  when the gateway's own identity signs (not the sender's), its address becomes {@code Sender:}
     */
    public static Carrier build(MimeMessage original, String recipient, String sender, GinaContainer container,
                                URI portal, Branding branding, Optional<String> agent) throws MessagingException {
        String notice = branding.noticeFor(sender, recipient, portal);
        SecureMessagePage.Page html = SecureMessagePage.renderPage(container, portal, branding.title(), notice);
        byte[] text = QuotedPrintable.encode((branding.title() + CRLF + CRLF + notice.replace("\n", CRLF) + CRLF)
            .getBytes(StandardCharsets.UTF_8));
        String boundary = "----=_sealgate_gina_" + HexFormat.of().formatHex(randomBytes());

        // Soft line breaks add 3 bytes per 75; the few escaped characters around the container fit the rest.
        Entity entity = new Entity(html.bytes().length + html.bytes().length / 24 + text.length + 4096);
        entity.ascii("Content-Type: multipart/mixed;" + CRLF + "\tboundary=\"" + boundary + "\"" + CRLF + CRLF
            + "--" + boundary + CRLF
            + "Content-Type: text/plain; charset=UTF-8" + CRLF
            + "Content-Transfer-Encoding: quoted-printable" + CRLF + CRLF);
        entity.write(text, 0, text.length);
        // The page is encoded straight into the entity, its container run copied between soft breaks unread.
        entity.ascii(CRLF + "--" + boundary + CRLF
            + "Content-Type: text/html; charset=UTF-8; name=\"" + SecureMessagePage.FILE_NAME + "\"" + CRLF
            + "Content-Transfer-Encoding: quoted-printable" + CRLF
            + "Content-Disposition: attachment; filename=\"" + SecureMessagePage.FILE_NAME + "\"" + CRLF + CRLF);
        QuotedPrintable.encode(html.bytes(), html.containerFrom(), html.containerTo(), entity);
        entity.ascii(CRLF + "--" + boundary + "--" + CRLF);
        return new Carrier(headerLines(original, recipient, sender, container, branding, agent), entity.array(),
            entity.size());
    }

    /** The carrier's header fields, encoded and folded by JavaMail (a message used for its headers only). */
    private static List<String> headerLines(MimeMessage original, String recipient, String sender,
                                            GinaContainer container, Branding branding, Optional<String> agent)
            throws MessagingException {
        MimeMessage headers = new MimeMessage(SESSION);
        Address[] from = original.getFrom();
        if (from != null && from.length > 0) {
            headers.addFrom(from);
        } else {
            headers.setFrom(new InternetAddress(sender));
        }
        if (agent.isPresent()) {
            headers.setSender(new InternetAddress(agent.get()));
        }
        headers.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient));
        String subject = original.getSubject();
        headers.setSubject(subject == null || subject.isBlank() ? branding.title() : subject, "UTF-8");
        headers.setSentDate(new Date());
        // The carrier keeps the original's Message-ID (the container is bound to it): audit lines correlate, and the
        // recipient's secure reply threads under it.
        headers.setHeader("Message-ID", container.messageId());
        headers.setHeader(HEADER, "container; key-id=" + container.keyId());
        headers.setHeader("MIME-Version", "1.0");
        return Collections.list(headers.getAllHeaderLines());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** The entity's bytes, handed out without a closing copy. */
    private static final class Entity extends ByteArrayOutputStream {
        Entity(int capacity) {
            super(capacity);
        }

        void ascii(String text) {
            writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        }

        byte[] array() {
            return buf;
        }
    }
}
