package org.sealgate.mailets;

import java.util.Map;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.keys.Addresses;
import org.sealgate.policy.MailDecision;

/**
 * Records the policy engine's reasons for the mail's recipients as the mail's reason (what a bounce tells the
 * sender and the audit event shows), then sends the mail to {@code processor}. Used for the {@code bounce} and
 * {@code hold} outcomes.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.PolicyChooses=bounce" class="org.sealgate.mailets.RouteWithPolicyReason">
 *     <processor>bounce-unencryptable</processor>
 * </mailet>
 * }</pre>
 */
public class RouteWithPolicyReason extends GenericMailet {
    private String processor;

    @Override
    public void init() throws MessagingException {
        processor = InitParameters.required(this, "processor");
    }

    @Override
    public void service(Mail mail) {
        Map<String, MailDecision.RecipientDecision> decisions = PolicyAttributes.decisions(mail);
        String reasons = mail.getRecipients().stream()
            .map(recipient -> decisions.get(Addresses.normalise(recipient.asString())))
            .map(decision -> decision == null ? "no policy decision" : decision.reason())
            .distinct()
            .collect(Collectors.joining("; "));
        AuditTrail.recordReason(mail, reasons);
        mail.setState(processor);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate routing with the policy engine's reason";
    }
}
