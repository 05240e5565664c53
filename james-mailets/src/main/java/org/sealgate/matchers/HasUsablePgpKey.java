package org.sealgate.matchers;

import java.util.Collection;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.sealgate.keys.Addresses;
import org.sealgate.mailets.RecipientCertificates;
import org.sealgate.mailets.RecipientPgpKeys;
import org.sealgate.policy.EncryptionMode;
import org.sealgate.policy.PolicyProvider;

/**
 * Matches the recipients that get OpenPGP: their domain's policy does not switch encryption off, no usable S/MIME
 * certificate is known (S/MIME comes first, as in the fixed method order until the policy engine decides), and a
 * usable OpenPGP key is. The policy engine's {@code PolicyChooses=pgp} replaces it.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.HasUsablePgpKey" class="ToProcessor">
 *     <processor>pgp-encrypt</processor>
 * </mailet>
 * }</pre>
 */
public class HasUsablePgpKey extends GenericMatcher {
    private final RecipientPgpKeys pgpKeys;
    private final RecipientCertificates certificates;
    private final PolicyProvider policy;

    @Inject
    public HasUsablePgpKey(RecipientPgpKeys pgpKeys, RecipientCertificates certificates, PolicyProvider policy) {
        this.pgpKeys = pgpKeys;
        this.certificates = certificates;
        this.policy = policy;
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        return mail.getRecipients().stream()
            .filter(recipient -> policy.forDomain(Addresses.domainOf(recipient.asString())).encryption() != EncryptionMode.OFF)
            .filter(recipient -> !certificates.select(recipient.asString()).usable())
            .filter(recipient -> pgpKeys.select(recipient.asString()).usable())
            .collect(Collectors.toList());
    }
}
