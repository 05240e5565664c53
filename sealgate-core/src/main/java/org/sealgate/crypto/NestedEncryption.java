package org.sealgate.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.Optional;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.internet.MimePart;

/**
 * Finds encrypted content below the top level of a message: an armored OpenPGP message in a text part, a PGP/MIME
 * multipart/encrypted part, or an S/MIME enveloped part, inside a multipart the sender composed around it. The
 * gateway decrypts only top-level content; this names what was left encrypted, so it can be marked and audited.
 * message/rfc822 attachments are not descended into (a forwarded message is its own message).
 */
public final class NestedEncryption {
    /** Deeper nesting is not searched: depth is bounded elsewhere, and no real mail hides a part that deep. */
    static final int MAX_DEPTH = 32;
    /** A part's text is read only up to this size when looking for armor. */
    static final int MAX_TEXT_BYTES = 1 << 20;

    private static final Set<String> IDENTITY = Set.of("7bit", "8bit", "binary");

    private NestedEncryption() {
    }

    /** What kind of encrypted part sits inside the message's multipart, if any; never throws for bad input. */
    public static Optional<String> find(MimeMessage message) {
        try {
            if (!message.isMimeType("multipart/*")) {
                return Optional.empty();
            }
            Optional<Optional<String>> scanned = scan(message);
            return scanned.isPresent() ? scanned.get() : inMultipart(message, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The search on the message's raw body bytes ({@link NestedEncryptionScan}); empty where only the walk can tell.
     * The walk parsed the multipart tree (and each nested one) and decoded every text part: 2–5 % of an inbound node.
     */
    static Optional<Optional<String>> scan(MimeMessage message) throws MessagingException, IOException {
        String encoding = message.getEncoding();
        if (encoding != null && !IDENTITY.contains(encoding.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.empty();
        }
        NestedEncryptionScan scan = new NestedEncryptionScan(message.getContentType());
        try (InputStream in = message.getRawInputStream()) {
            byte[] buffer = new byte[16384];
            int n;
            while (!scan.settled() && (n = in.read(buffer)) != -1) {
                scan.write(buffer, 0, n);
            }
        }
        scan.close();
        return scan.undecided() ? Optional.empty() : Optional.of(scan.result());
    }

    /** The tree walk, JavaMail's reading of the message. */
    static Optional<String> walk(MimeMessage message) {
        try {
            return message.isMimeType("multipart/*") ? inMultipart(message, 0) : Optional.empty();
        } catch (MessagingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> inMultipart(MimePart part, int depth) throws MessagingException, IOException {
        // The message's own multipart is read through its data handler, which JavaMail does not cache: a cached one
        // would make the next saveChanges rebuild the whole message from the object model.
        Object content = part instanceof MimeMessage ? part.getDataHandler().getContent() : part.getContent();
        if (depth >= MAX_DEPTH || !(content instanceof MimeMultipart multipart)) {
            return Optional.empty();
        }
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart child = multipart.getBodyPart(i);
            if (!(child instanceof MimeBodyPart mime)) {
                continue;
            }
            Optional<String> found = encryptedKind(mime);
            if (found.isEmpty() && mime.isMimeType("multipart/*")) {
                found = inMultipart(mime, depth + 1);
            }
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> encryptedKind(MimeBodyPart part) throws MessagingException, IOException {
        ContentType type = PgpMime.contentType(part);
        if (type == null) {
            return Optional.empty();
        }
        if (type.match("multipart/encrypted")) {
            return Optional.of("a multipart/encrypted part");
        }
        if (type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime")) {
            String smimeType = type.getParameter("smime-type");
            if (smimeType == null || smimeType.equalsIgnoreCase("enveloped-data")
                    || smimeType.equalsIgnoreCase("authEnveloped-data")) {
                return Optional.of("an S/MIME encrypted part");
            }
        }
        if (type.match("text/*") && part.getSize() <= MAX_TEXT_BYTES && PgpMime.text(part).contains(PgpMime.BEGIN_MESSAGE)) {
            return Optional.of("an armored OpenPGP message in a " + type.getBaseType() + " part");
        }
        return Optional.empty();
    }
}
