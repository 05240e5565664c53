package org.sealgate.mailets;

import java.time.Clock;
import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.audit.AuditPublisher;

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
        publisher.publish(AuditTrail.toEvent(mail, outcome, clock));
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate audit event emitter";
    }
}
