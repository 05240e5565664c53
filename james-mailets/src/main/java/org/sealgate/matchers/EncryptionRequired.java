package org.sealgate.matchers;

import java.util.Collection;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.sealgate.keys.Addresses;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.PolicyProvider;

/**
 * Matches the recipients whose domain policy requires encryption. Placed after the encryption step, it catches
 * exactly the recipients that could not be encrypted to, so they are never sent in clear.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.EncryptionRequired" class="ToProcessor">
 *     <processor>unencryptable</processor>
 * </mailet>
 * }</pre>
 */
public class EncryptionRequired extends GenericMatcher {
    private final PolicyProvider policy;

    @Inject
    public EncryptionRequired(PolicyProvider policy) {
        this.policy = policy;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
            .filter(recipient -> policy.forDomain(Addresses.domainOf(recipient.asString())).encryption() == EncryptionMode.REQUIRED)
            .collect(Collectors.toList());
    }
}
