package org.sealgate.mailets;

import java.util.Optional;

import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;

/**
 * Who sent a mail: one rule for every mailet that signs, decides policy or answers. The author is the single From
 * address (several authors, none, or one without a domain: nobody's key signs); the sender, for policy and for
 * notices, is the author, else the envelope sender.
 */
final class Senders {
    private Senders() {
    }

    /** The single From address, whose managed key may sign the mail. */
    static Optional<String> author(Mail mail) throws MessagingException {
        Address[] from = mail.getMessage().getFrom();
        if (from != null && from.length == 1 && from[0] instanceof InternetAddress address
            && address.getAddress() != null && address.getAddress().contains("@")) {
            return Optional.of(address.getAddress());
        }
        return Optional.empty();
    }

    /** The author, else the envelope sender; empty for the null sender without an author. */
    static Optional<String> sender(Mail mail) throws MessagingException {
        Optional<String> author = author(mail);
        return author.isPresent() ? author : mail.getMaybeSender().asOptional().map(MailAddress::asString);
    }
}
