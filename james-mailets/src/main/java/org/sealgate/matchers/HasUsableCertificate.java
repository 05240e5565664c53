package org.sealgate.matchers;

import java.util.Collection;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.sealgate.keys.Addresses;
import org.sealgate.mailets.RecipientCertificates;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.PolicyProvider;

/**
 * Matches the recipients that get S/MIME encryption: a usable certificate is known and their domain's policy does
 * not switch encryption off.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.HasUsableCertificate" class="org.sealgate.mailets.SmimeEncrypt"/>
 * }</pre>
 */
public class HasUsableCertificate extends GenericMatcher {
    private final RecipientCertificates certificates;
    private final PolicyProvider policy;

    @Inject
    public HasUsableCertificate(RecipientCertificates certificates, PolicyProvider policy) {
        this.certificates = certificates;
        this.policy = policy;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
            .filter(recipient -> policy.forDomain(Addresses.domainOf(recipient.asString())).encryption() != EncryptionMode.OFF)
            .filter(recipient -> certificates.select(recipient.asString()).usable())
            .collect(Collectors.toList());
    }
}
