package org.sealgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * {@code sealgate gina extract MAILFILE [--out FILE]}: writes the {@code secure-message.html} a GINA carrier mail
 * carries (as a recipient's mail program would save the attachment), default {@code ./secure-message.html}. It
 * reads clear-signed (multipart/signed) and opaque-signed carriers alike; it does not check the signature (the
 * walk-through does that with {@code openssl cms -verify}).
 */
final class GinaExtractCommand {
    static final String ATTACHMENT = "secure-message.html";
    /** Nesting the walk stops at: a carrier is two or three levels deep; a hostile file gets no deeper. */
    private static final int MAX_DEPTH = 8;

    private GinaExtractCommand() {
    }

    static int run(List<String> args, PrintStream out) throws IOException, MessagingException {
        Arguments arguments = new Arguments(args, Set.of("out"));
        String action = arguments.positional(0, "gina action (extract MAILFILE)");
        if (!action.equals("extract")) {
            throw new Arguments.UsageException("unknown gina action '" + action + "' here (the portal: ./sealgate gina --help)");
        }
        Path mail = Path.of(arguments.positional(1, "MAILFILE (a GINA carrier mail, e.g. from DATA/mail/outbound/)"));
        Path target = Path.of(arguments.option("out").orElse(ATTACHMENT));
        MimeMessage message;
        try (InputStream in = Files.newInputStream(mail)) {
            message = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        Optional<byte[]> page = find(message, 0);
        if (page.isEmpty()) {
            throw new IllegalStateException(mail + " carries no " + ATTACHMENT + ": give a GINA carrier mail (grep -l "
                + ATTACHMENT + " DATA/mail/outbound/*.eml)");
        }
        Files.write(target, page.get());
        out.println("wrote " + target + " (" + page.get().length + " bytes); open it in a browser");
        return 0;
    }

    private static Optional<byte[]> find(Part part, int depth) throws IOException, MessagingException {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        if (ATTACHMENT.equals(part.getFileName())) {
            try (InputStream in = part.getInputStream()) {
                return Optional.of(in.readAllBytes());
            }
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<byte[]> found = find(child, depth + 1);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (part.isMimeType("application/pkcs7-mime") || part.isMimeType("application/x-pkcs7-mime")) {
            // Opaque signed: the signed MIME entity is inside the CMS structure.
            try (InputStream in = part.getInputStream()) {
                CMSSignedData signed = new CMSSignedData(in.readAllBytes());
                if (signed.getSignedContent() == null) {
                    return Optional.empty();
                }
                byte[] content = (byte[]) signed.getSignedContent().getContent();
                return find(new MimeBodyPart(new java.io.ByteArrayInputStream(content)), depth + 1);
            } catch (CMSException | ClassCastException e) {
                return Optional.empty();   // encrypted or not CMS: not a carrier
            }
        }
        return Optional.empty();
    }
}
