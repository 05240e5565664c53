package org.sealgate.mailets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.gina.account.AccountStoreException;
import org.sealgate.gina.mail.FirstPasswordNotices;
import org.sealgate.gina.mail.GinaBackend;
import org.sealgate.gina.mail.GinaUnavailableException;
import org.sealgate.gina.mail.PhoneNumbers;
import org.sealgate.gina.mail.SmsGateway;

/**
 * Sender-triggered GINA password reset (as SEPPmail offers it): a trusted sender's mail whose subject carries
 * {@code keyword} (default {@code [gina-reset]}) is a command, never delivered. For each recipient with a GINA
 * account the account is reset ({@code GinaAccounts.resetByAdmin}: new first password, awaiting registration,
 * sessions ended); one reply to the sender lists the new first passwords and the recipients that have no account
 * or were reset too recently. With {@code firstPasswordChannel} {@code sms} and a number for the recipient in
 * {@link PhoneNumbers#HEADER} (kept by {@link CaptureGinaPhone}), the first password goes by SMS instead and the
 * reply says so (masked number); a failed SMS falls back to the reply. Place it in the outbound processor (trusted senders only) before ApplyPolicy.
 *
 * <p>Abuse: the command is honoured only when the envelope sender (who receives the new first passwords) is in a
 * managed domain; from anyone else it is ordinary mail (audited {@code gina-reset-refused}). Any such sender may
 * reset any recipient (the containers are only in the recipient's mailbox, so a reset gives the sender nothing to
 * read); a recipient is reset at most once per {@code minInterval}, counted cluster-wide in ZooKeeper, so
 * repeated resets cannot keep a recipient locked out. Passwords appear in no log and no audit event.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.GinaSenderReset">
 *     <keyword>[gina-reset]</keyword>
 *     <minInterval>PT10M</minInterval>
 *     <notifyProcessor>deliver</notifyProcessor>
 *     <firstPasswordChannel>sender</firstPasswordChannel>   <!-- sender | sms -->
 * </mailet>
 * }</pre>
 */
public class GinaSenderReset extends GenericMailet {
    private final GinaBackend gina;
    private final SmsGateway sms;
    private final AuditPublisher audit;
    private final Clock clock;
    private String keyword;
    private Duration minInterval;
    private String notifyProcessor;
    private boolean smsChannel;

    @Inject
    public GinaSenderReset(GinaBackend gina, SmsGateway sms, AuditPublisher audit) {
        this(gina, sms, audit, Clock.systemUTC());
    }

    public GinaSenderReset(GinaBackend gina, SmsGateway sms, AuditPublisher audit, Clock clock) {
        this.gina = gina;
        this.sms = sms;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        keyword = getInitParameter("keyword", "[gina-reset]").trim().toLowerCase(Locale.ROOT);
        if (keyword.isEmpty()) {
            throw new MessagingException("GinaSenderReset: 'keyword' must not be empty");
        }
        try {
            minInterval = Duration.parse(getInitParameter("minInterval", "PT10M").trim());
        } catch (RuntimeException e) {
            throw new MessagingException("GinaSenderReset: 'minInterval' is not an ISO-8601 duration (e.g. PT10M)");
        }
        if (minInterval.isNegative()) {
            throw new MessagingException("GinaSenderReset: 'minInterval' must not be negative");
        }
        notifyProcessor = getInitParameter("notifyProcessor", "deliver").trim();
        String channel = getInitParameter("firstPasswordChannel", "sender").trim().toLowerCase(Locale.ROOT);
        if (!channel.equals("sender") && !channel.equals("sms")) {
            throw new MessagingException("GinaSenderReset: 'firstPasswordChannel' must be 'sender' or 'sms', got '" + channel + "'");
        }
        smsChannel = channel.equals("sms");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String subject = Optional.ofNullable(mail.getMessage().getSubject()).orElse("");
        if (!subject.toLowerCase(Locale.ROOT).contains(keyword)) {
            return;
        }
        Optional<MailAddress> envelope = mail.getMaybeSender().asOptional();
        if (envelope.isPresent() && !getMailetContext().isLocalServer(envelope.get().getDomain())) {
            // The new first passwords would go to an outside address: not a command, just mail.
            event(mail, envelope.get().asString(), "gina-reset-refused", "the sender is not in a managed domain");
            return;
        }
        Optional<String> sender = envelope.map(MailAddress::asString);
        mail.setState(Mail.GHOST);
        if (sender.isEmpty()) {
            event(mail, "-", "gina-reset-refused", "a reset command without a sender: nobody to answer");
            return;
        }
        List<String> lines = new ArrayList<>();
        try {
            GinaBackend.Access access = gina.access();
            for (MailAddress recipient : mail.getRecipients()) {
                lines.add(reset(mail, sender.get(), recipient.asString().toLowerCase(Locale.ROOT), access));
            }
        } catch (GinaUnavailableException e) {
            lines.add("GINA is not available on this gateway: " + e.getMessage());
            event(mail, sender.get(), "gina-reset-failed", e.getMessage());
        }
        getMailetContext().sendMail(getMailetContext().getPostmaster(), List.of(new MailAddress(sender.get())),
            FirstPasswordNotices.resetReport(getMailetContext().getPostmaster().asString(), sender.get(), lines),
            notifyProcessor);
    }

    private String reset(Mail mail, String sender, String recipient, GinaBackend.Access access) {
        try {
            if (access.accounts().find(recipient).isEmpty()) {
                event(mail, sender, recipient, "gina-reset-refused", "no GINA account");
                return "No GINA account for " + recipient + ": nothing was reset.";
            }
            Optional<String> reset = access.accounts().resetBySender(recipient, minInterval);
            if (reset.isEmpty()) {
                event(mail, sender, recipient, "gina-reset-refused", "reset less than " + minInterval + " ago");
                return "The GINA password of " + recipient + " was reset less than " + minInterval.toMinutes()
                    + " minutes ago; not reset again. Use the first password of the earlier reset.";
            }
            String firstPassword = reset.get();
            Optional<String> phone = smsChannel ? phone(mail, recipient) : Optional.empty();
            if (phone.isPresent()) {
                String masked = PhoneNumbers.masked(phone.get());
                try {
                    sms.send(phone.get(), FirstPasswordNotices.smsText("GINA password reset", recipient, firstPassword));
                    event(mail, sender, recipient, "gina-reset",
                        "password reset by the sender; awaiting registration; first password sent by SMS to " + masked);
                    return "The GINA password of " + recipient + " was reset; the new first password was sent by SMS to "
                        + masked + ".";
                } catch (SmsGateway.SmsException e) {
                    event(mail, sender, recipient, "gina-sms-failed", "SMS to " + masked + " failed: " + e.getMessage()
                        + "; the first password goes to the sender by mail instead");
                }
            }
            event(mail, sender, recipient, "gina-reset",
                "password reset by the sender; awaiting registration; first password sent to the sender by mail");
            return "The GINA password of " + recipient + " was reset. Please give " + recipient
                + " this first password by phone or in person (not by e-mail):\n\n    " + firstPassword;
        } catch (AccountStoreException e) {
            event(mail, sender, recipient, "gina-reset-failed", "account store unreachable: " + e.getMessage());
            return "The GINA password of " + recipient + " could not be reset (account store unreachable); try again later.";
        }
    }

    private void event(Mail mail, String sender, String outcome, String reason) {
        audit.publish(new AuditEvent(clock.instant(), messageId(mail), "outbound", sender, List.of(), outcome, reason));
    }

    private void event(Mail mail, String sender, String recipient, String outcome, String reason) {
        audit.publish(new AuditEvent(clock.instant(), messageId(mail), "outbound", sender,
            List.of(new AuditEvent.RecipientOutcome(recipient, GinaSeal.METHOD, "")), outcome, reason));
    }

    private static Optional<String> phone(Mail mail, String recipient) {
        return Optional.ofNullable(PhoneNumbers.parse(CaptureGinaPhone.value(mail).orElse(null), List.of(recipient))
            .get(recipient));
    }

    private static String messageId(Mail mail) {
        try {
            return Optional.ofNullable(mail.getMessage().getMessageID()).orElse(mail.getName());
        } catch (MessagingException e) {
            return mail.getName();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate GINA password reset by the sender";
    }
}
