package org.sealgate.matchers;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.sealgate.keys.Addresses;
import org.sealgate.mailets.PolicyAttributes;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.TransportSecurity;

/**
 * Matches the recipients whose policy decision needs exactly the transport security in the condition
 * ({@code required} or {@code verified}), so that they go to a delivery that refuses to send without it.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.PolicyRequiresTls=verified" class="ToProcessor">
 *     <processor>deliver-tls-verified</processor>
 * </mailet>
 * }</pre>
 */
public class PolicyRequiresTls extends GenericMatcher {
    private TransportSecurity wanted;

    @Override
    public void init() throws MessagingException {
        String condition = getCondition() == null ? "" : getCondition().trim().toLowerCase(Locale.ROOT);
        if (!condition.equals("required") && !condition.equals("verified")) {
            throw new MessagingException("PolicyRequiresTls: condition must be 'required' or 'verified', got '" + condition + "'");
        }
        wanted = TransportSecurity.ofToken(condition);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        Map<String, MailDecision.RecipientDecision> decisions = PolicyAttributes.decisions(mail);
        return mail.getRecipients().stream()
            .filter(recipient -> {
                MailDecision.RecipientDecision decision = decisions.get(Addresses.normalise(recipient.asString()));
                return decision != null && decision.transport() == wanted;
            })
            .collect(Collectors.toList());
    }
}
