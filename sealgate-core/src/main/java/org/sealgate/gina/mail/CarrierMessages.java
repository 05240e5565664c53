package org.sealgate.gina.mail;

import java.net.URI;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.sealgate.gina.container.GinaContainer;
import org.sealgate.gina.container.SecureMessagePage;

/**
 * Builds the (not yet signed) carrier mail for one GINA recipient: From and Subject of the original, To the
 * recipient, the original's Message-ID, a text part with the notification and the attachment
 * {@code secure-message.html} (quoted-printable: the page's container is base64url already, which needs only soft
 * line breaks; base64 over it would add a third to every hop's bytes).
 * Nothing of the original body is in clear.
 */
public final class CarrierMessages {
    /** Header on every carrier: the container's key id, for administrators tracing a message. */
    public static final String HEADER = "X-Sealgate-Gina";
    /**
     * One JavaMail session for every carrier: {@code Session.getInstance} reads the provider and address maps from
     * every jar on the classpath, which was a quarter of the GINA mailet's CPU when done per mail. Carriers use no
     * transport; the session only lends its (never changed) properties to the message.
     */
    private static final Session SESSION = Session.getInstance(new Properties());

    private CarrierMessages() {
    }

    /**
     * @param sender the sender's address, shown in the notice
     * @param agent  when the gateway's own identity signs (not the sender's), its address becomes {@code Sender:}
     */
    public static MimeMessage build(MimeMessage original, String recipient, String sender, GinaContainer container,
                                    URI portal, Branding branding, Optional<String> agent) throws MessagingException {
        // The carrier keeps the original's Message-ID (the container is bound to it): audit lines correlate, and the
        // recipient's secure reply threads under it.
        Carrier carrier = new Carrier(container.messageId());
        Address[] from = original.getFrom();
        if (from != null && from.length > 0) {
            carrier.addFrom(from);
        } else {
            carrier.setFrom(new InternetAddress(sender));
        }
        if (agent.isPresent()) {
            carrier.setSender(new InternetAddress(agent.get()));
        }
        carrier.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient));
        String subject = original.getSubject();
        carrier.setSubject(subject == null || subject.isBlank() ? branding.title() : subject, "UTF-8");
        carrier.setSentDate(new Date());
        carrier.setHeader(HEADER, "container; key-id=" + container.keyId());

        String notice = branding.noticeFor(sender, recipient, portal);
        MimeBodyPart text = new MimeBodyPart();
        text.setText(branding.title() + "\r\n\r\n" + notice.replace("\n", "\r\n") + "\r\n", "UTF-8");
        text.setHeader("Content-Transfer-Encoding", "quoted-printable");

        // The page is encoded here and kept as the part's raw content, which JavaMail then copies as it is (no
        // DataHandler, no re-encoding through its own slower encoder stream).
        InternetHeaders pageHeaders = new InternetHeaders();
        pageHeaders.setHeader("Content-Type", "text/html; charset=UTF-8; name=\"" + SecureMessagePage.FILE_NAME + "\"");
        pageHeaders.setHeader("Content-Transfer-Encoding", "quoted-printable");
        pageHeaders.setHeader("Content-Disposition", MimeBodyPart.ATTACHMENT + "; filename=\"" + SecureMessagePage.FILE_NAME + "\"");
        SecureMessagePage.Page html = SecureMessagePage.renderPage(container, portal, branding.title(), notice);
        MimeBodyPart page = new MimeBodyPart(pageHeaders,
            QuotedPrintable.encode(html.bytes(), html.containerFrom(), html.containerTo()));

        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(page);
        carrier.setContent(mixed);
        carrier.saveChanges();
        carrier.size = page.getSize() + 2048;   // the notice text and the boundaries fit in the rest
        return carrier;
    }

    /** The carrier keeps its Message-ID and knows its size roughly (the signer sizes its buffer by it). */
    private static final class Carrier extends MimeMessage {
        private final String messageId;
        private int size = -1;

        Carrier(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }

        /** An estimate, as {@link MimeMessage#getSize} may be: without it, a buffer grew by doubling to 1.4 MB. */
        @Override
        public int getSize() {
            return size;
        }
    }
}
