package org.sealgate.matchers;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.sealgate.keys.Addresses;
import org.sealgate.mailets.PolicyAttributes;
import org.sealgate.policy.MailDecision;
import org.sealgate.policy.Outcome;

/**
 * Matches the recipients for whom {@link org.sealgate.mailets.ApplyPolicy} chose the outcome named in the
 * condition ({@code smime}, {@code pgp}, {@code gina}, {@code tls}, {@code plain}, {@code bounce}, {@code hold});
 * James splits the mail so each outcome goes its own way. Recipients without a decision match nothing.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.PolicyChooses=smime" class="ToProcessor">
 *     <processor>smime</processor>
 * </mailet>
 * }</pre>
 */
public class PolicyChooses extends GenericMatcher {
    private Outcome wanted;

    @Override
    public void init() throws MessagingException {
        String condition = getCondition() == null ? "" : getCondition().trim();
        try {
            wanted = Outcome.ofToken(condition);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("PolicyChooses: " + e.getMessage());
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        Map<String, MailDecision.RecipientDecision> decisions = PolicyAttributes.decisions(mail);
        return mail.getRecipients().stream()
            .filter(recipient -> {
                MailDecision.RecipientDecision decision = decisions.get(Addresses.normalise(recipient.asString()));
                return decision != null && decision.outcome() == wanted;
            })
            .collect(Collectors.toList());
    }
}
