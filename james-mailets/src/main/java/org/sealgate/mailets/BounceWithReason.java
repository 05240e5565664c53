package org.sealgate.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * Returns the mail to its sender with the reason recorded by an earlier Sealgate step; the bounce carries only the
 * reason, never the content. A mail with the null sender cannot be bounced; it goes to {@code orphanProcessor} so
 * it is kept, not lost. Follow it with the audit step and {@code Null}, so that each mail gets exactly one event.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.BounceWithReason">
 *     <orphanProcessor>quarantine</orphanProcessor>
 * </mailet>
 * <mailet match="All" class="org.sealgate.mailets.AuditMail">
 *     <outcome>bounced</outcome>
 * </mailet>
 * <mailet match="All" class="Null"/>
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
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate bounce with reason";
    }
}
