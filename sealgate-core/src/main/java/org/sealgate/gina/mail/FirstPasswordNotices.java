package org.sealgate.gina.mail;

import java.net.URI;
import java.util.Date;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * What tells a new GINA recipient's first password: the mail to the sender (who passes it on by phone or in
 * person, never by e-mail to the recipient), the SMS text, and the sender's notice when the SMS went out.
 * These texts are the only place the clear first password travels; nothing here logs them.
 */
public final class FirstPasswordNotices {
    public static final String HEADER = "X-Sealgate-Gina-Notice";

    private FirstPasswordNotices() {
    }

    /** To the sender: the recipient's first password, to be passed on out of band. */
    public static MimeMessage passwordForSender(String from, String sender, String recipient, String subject,
                                                String firstPassword, URI portal, String why) throws MessagingException {
        String text = """
            You sent a secure message ("%s") to %s, who has no S/MIME or OpenPGP key. It was delivered as a GINA \
            secure message, which %s reads in a web browser on %s.

            %s has no GINA account yet; one was created. Please give %s this first password by phone or in person \
            (not by e-mail):

                %s

            With it, %s registers on opening the message and chooses an own password. The gateway keeps only a hash \
            of this password; this mail is the only place it is written.%s
            """.formatted(subject, recipient, recipient, portal, recipient, recipient, firstPassword, recipient,
            why.isEmpty() ? "" : "\n\n(" + why + ")");
        return notice(from, sender, "First password for the secure message to " + recipient, text, "first-password");
    }

    /** To the sender, when the first password went to the recipient's phone. */
    public static MimeMessage smsSentToRecipient(String from, String sender, String recipient, String subject,
                                                 String maskedPhone) throws MessagingException {
        String text = """
            You sent a secure message ("%s") to %s, who has no S/MIME or OpenPGP key. It was delivered as a GINA \
            secure message. %s has no GINA account yet; one was created and its first password was sent by SMS \
            to %s.
            """.formatted(subject, recipient, recipient, maskedPhone);
        return notice(from, sender, "Secure message to " + recipient + ": first password sent by SMS", text, "sms-sent");
    }

    /** To the sender of a reset command: one line per recipient (new first password, no account, too soon). */
    public static MimeMessage resetReport(String from, String sender, java.util.List<String> lines)
        throws MessagingException {
        String text = "Your GINA password reset request:\n\n" + String.join("\n\n", lines)
            + "\n\nThe gateway keeps only a hash of a first password; this mail is the only place it is written.\n";
        return notice(from, sender, "GINA password reset", text, "reset");
    }

    public static String smsText(String title, String recipient, String firstPassword) {
        return title + ": your first password for secure messages to " + recipient + " is " + firstPassword;
    }

    /** Shared, as in {@link CarrierMessages}: creating a session scans the classpath. */
    private static final Session SESSION = Session.getInstance(new Properties());

    private static MimeMessage notice(String from, String to, String subject, String text, String kind)
        throws MessagingException {
        MimeMessage message = new MimeMessage(SESSION);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject, "UTF-8");
        message.setSentDate(new Date());
        message.setHeader(HEADER, kind);
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setText(text.replace("\n", "\r\n"), "UTF-8");
        message.setHeader("Content-Transfer-Encoding", "quoted-printable");
        message.saveChanges();
        return message;
    }
}
