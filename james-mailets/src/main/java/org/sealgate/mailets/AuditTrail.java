package org.sealgate.mailets;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.sealgate.audit.AuditEvent;
import org.sealgate.keys.Addresses;

/**
 * What the pipeline did to a mail, carried in mail attributes (plain strings, so they survive the durable queue)
 * until the mail leaves the gateway and {@link AuditMail} turns them into one audit event.
 */
public final class AuditTrail {
    public static final AttributeName DIRECTION = AttributeName.of("org.sealgate.direction");
    public static final AttributeName METHOD = AttributeName.of("org.sealgate.method");
    public static final AttributeName KEYS = AttributeName.of("org.sealgate.keys");
    public static final AttributeName REASON = AttributeName.of("org.sealgate.reason");

    private AuditTrail() {
    }

    /** Appends a protection step ({@code smime-sign}, {@code smime-encrypt}, ...) and the key used per recipient. */
    public static void recordStep(Mail mail, String method, Map<String, String> fingerprintByRecipient) {
        String previous = string(mail, METHOD).orElse("");
        mail.setAttribute(new Attribute(METHOD, AttributeValue.of(previous.isEmpty() ? method : previous + "+" + method)));
        Map<String, String> keys = keys(mail);
        fingerprintByRecipient.forEach((recipient, fingerprint) ->
            keys.merge(Addresses.normalise(recipient), fingerprint, (a, b) -> a.equals(b) ? a : a + "/" + b));
        mail.setAttribute(new Attribute(KEYS, AttributeValue.of(encode(keys))));
    }

    public static void recordReason(Mail mail, String reason) {
        mail.setAttribute(new Attribute(REASON, AttributeValue.of(reason)));
    }

    public static void recordDirection(Mail mail, String direction) {
        mail.setAttribute(new Attribute(DIRECTION, AttributeValue.of(direction)));
    }

    /** The protection steps so far, e.g. {@code smime-sign+smime-encrypt}; empty when none. */
    public static String method(Mail mail) {
        return string(mail, METHOD).orElse("");
    }

    public static Optional<String> reason(Mail mail) {
        return string(mail, REASON);
    }

    public static AuditEvent toEvent(Mail mail, String outcome, Clock clock) {
        Map<String, String> keys = keys(mail);
        String method = string(mail, METHOD).orElse("none");
        Map<String, String> decisions = new LinkedHashMap<>();
        PolicyAttributes.decisions(mail).forEach((address, decision) -> decisions.put(address, decision.toString()));
        List<AuditEvent.RecipientOutcome> recipients = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            String address = recipient.asString();
            recipients.add(new AuditEvent.RecipientOutcome(address, method, keys.getOrDefault(Addresses.normalise(address), ""),
                decisions.getOrDefault(Addresses.normalise(address), "")));
        }
        return new AuditEvent(clock.instant(), messageId(mail), string(mail, DIRECTION).orElse("unknown"),
            mail.getMaybeSender().asString(""), recipients, outcome,
            string(mail, REASON).orElse(mail.getErrorMessage() == null ? "" : mail.getErrorMessage()));
    }

    static String messageId(Mail mail) {
        try {
            String id = mail.getMessage().getMessageID();
            return id == null ? mail.getName() : id;
        } catch (MessagingException e) {
            return mail.getName();
        }
    }

    private static Optional<String> string(Mail mail, AttributeName name) {
        return mail.getAttribute(name).flatMap(attribute -> attribute.getValue().valueAs(String.class));
    }

    private static Map<String, String> keys(Mail mail) {
        Map<String, String> keys = new LinkedHashMap<>();
        string(mail, KEYS).ifPresent(encoded -> {
            for (String entry : encoded.split(",")) {
                int space = entry.indexOf(' ');
                if (space > 0) {
                    keys.put(entry.substring(0, space), entry.substring(space + 1));
                }
            }
        });
        return keys;
    }

    private static String encode(Map<String, String> keys) {
        StringBuilder encoded = new StringBuilder();
        keys.forEach((recipient, fingerprint) -> {
            if (encoded.length() > 0) {
                encoded.append(',');
            }
            encoded.append(Addresses.normalise(recipient)).append(' ').append(fingerprint);
        });
        return encoded.toString();
    }
}
