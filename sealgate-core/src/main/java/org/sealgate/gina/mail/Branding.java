package org.sealgate.gina.mail;

import java.net.URI;

/**
 * The words of a GINA carrier mail: a title (page title, first line of the mail) and the notification text, in
 * which {@code {sender}}, {@code {recipient}}, {@code {portal}} and {@code {title}} are replaced. Plain text: the
 * page escapes it.
 */
public record Branding(String title, String notice) {
    public static final String DEFAULT_TITLE = "Secure message";
    public static final String DEFAULT_NOTICE = """
        {sender} has sent you an encrypted message.

        To read it, open the attached file secure-message.html in your web browser and press "Open the secure \
        message". You log in on {portal}; the message is decrypted only there.

        First time? You need the first password that the sender tells you (or that you receive by SMS). With it you \
        choose your own password, which you use for every later secure message.""";

    public Branding {
        if (title.isBlank()) {
            throw new IllegalArgumentException("the GINA title must not be empty");
        }
        if (notice.isBlank()) {
            throw new IllegalArgumentException("the GINA notice text must not be empty");
        }
    }

    public static Branding defaults() {
        return new Branding(DEFAULT_TITLE, DEFAULT_NOTICE);
    }

    public String noticeFor(String sender, String recipient, URI portal) {
        return notice.replace("{sender}", sender).replace("{recipient}", recipient)
            .replace("{portal}", portal.toString()).replace("{title}", title);
    }
}
