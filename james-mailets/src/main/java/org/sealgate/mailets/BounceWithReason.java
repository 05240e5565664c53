package org.sealgate.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Returns the mail to its sender with the reason recorded by an earlier Sealgate step, then ends its processing.
 * A mail with the null sender cannot be bounced; it goes to {@code orphanProcessor} so it is kept, not lost.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.BounceWithReason">
 *     <orphanProcessor>quarantine</orphanProcessor>
 * </mailet>
 * }</pre>
 */
public class BounceWithReason extends GenericMailet {
    private String orphanProcessor;

    @Override
    public void init() throws MessagingException {
        orphanProcessor = InitParameters.required(this, "orphanProcessor");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!mail.hasSender()) {
            mail.setState(orphanProcessor);
            return;
        }
        String reason = AuditTrail.reason(mail).orElse("refused by gateway policy");
        getMailetContext().bounce(mail, "Your message was not sent. " + reason);
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate bounce with reason";
    }
}
