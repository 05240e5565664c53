package org.sealgate.mailets;

import java.time.Clock;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the one audit event of a mail at the point where it leaves the pipeline (relayed, bounced, held, ...).
 * Place it right before the terminal mailet of each path.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.AuditMail">
 *     <outcome>relayed</outcome>
 * </mailet>
 * }</pre>
 */
public class AuditMail extends GenericMailet {
    /** One line per mail in the node log (and the journal): its own logger, so it can be routed or silenced. */
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("org.sealgate.mail");
    private static final List<String> OUTCOMES =
        List.of("relayed", "stored", "bounced", "held", "quarantined", "refused", "error");

    private final AuditPublisher publisher;
    private final Clock clock;
    private String outcome;

    @Inject
    public AuditMail(AuditPublisher publisher) {
        this(publisher, Clock.systemUTC());
    }

    public AuditMail(AuditPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        outcome = getInitParameter("outcome", "");
        if (!OUTCOMES.contains(outcome)) {
            throw new MessagingException("AuditMail: 'outcome' must be one of " + OUTCOMES + ", got '" + outcome + "'");
        }
    }

    @Override
    public void service(Mail mail) {
        AuditEvent event = AuditTrail.toEvent(mail, outcome, clock);
        publisher.publish(event);
        if (MAIL_LOG.isInfoEnabled()) {
            MAIL_LOG.info(logLine(mail.getName(), event));
        }
    }

    /**
     * The mail's one log line (the node log's counterpart of the audit event): James's mail id, Message-ID,
     * direction, outcome, envelope, each recipient's method, the reason; never subject or content. Header-borne
     * text is reduced to printable ASCII so a mail cannot forge log lines.
     */
    static String logLine(String mailName, AuditEvent event) {
        StringBuilder line = new StringBuilder("mail ").append(printable(mailName))
            .append(" message-id ").append(printable(event.messageId()))
            .append(' ').append(event.direction()).append(' ').append(event.outcome())
            .append(" from <").append(printable(event.sender())).append("> to ");
        for (int i = 0; i < event.recipients().size(); i++) {
            AuditEvent.RecipientOutcome recipient = event.recipients().get(i);
            line.append(i == 0 ? "" : ", ").append(printable(recipient.recipient()))
                .append(" (").append(printable(recipient.method())).append(')');
        }
        if (!event.reason().isEmpty()) {
            line.append(": ").append(printable(event.reason()));
        }
        return line.toString();
    }

    /**
     * Printable ASCII only (any other character, a surrogate pair counting as one, becomes {@code ?}), cut at 300
     * characters: a loop, not a regex compiled for every field of every mail.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder(Math.min(text.length(), 303));
        for (int i = 0; i < text.length(); ) {
            if (clean.length() == 300) {
                return clean.append("...").toString();
            }
            int c = text.codePointAt(i);
            clean.append(c >= 0x20 && c <= 0x7E ? (char) c : '?');
            i += Character.charCount(c);
        }
        return clean.toString();
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate audit event emitter";
    }
}
