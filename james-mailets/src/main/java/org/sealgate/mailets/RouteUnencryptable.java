package org.sealgate.mailets;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.keys.Addresses;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.UnencryptableAction;

/**
 * For mail that policy says must be encrypted but cannot be (no certificate, expired, wrong key usage, revoked):
 * records the precise reason per recipient and sends the mail to the bounce or the hold processor, as the
 * recipient domain's policy says. Recipients whose domains disagree are split.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.RouteUnencryptable">
 *     <bounceProcessor>bounce-unencryptable</bounceProcessor>
 *     <holdProcessor>quarantine</holdProcessor>
 * </mailet>
 * }</pre>
 */
public class RouteUnencryptable extends GenericMailet {
    private final RecipientCertificates certificates;
    private final Optional<RecipientPgpKeys> pgpKeys;
    private final PolicyProvider policy;
    private String bounceProcessor;
    private String holdProcessor;

    public RouteUnencryptable(RecipientCertificates certificates, PolicyProvider policy) {
        this.certificates = certificates;
        this.pgpKeys = Optional.empty();
        this.policy = policy;
    }

    /** With OpenPGP keys too: the reason then says why neither an S/MIME certificate nor an OpenPGP key was usable. */
    @Inject
    public RouteUnencryptable(RecipientCertificates certificates, RecipientPgpKeys pgpKeys, PolicyProvider policy) {
        this.certificates = certificates;
        this.pgpKeys = Optional.of(pgpKeys);
        this.policy = policy;
    }

    @Override
    public void init() throws MessagingException {
        bounceProcessor = InitParameters.required(this, "bounceProcessor");
        holdProcessor = InitParameters.required(this, "holdProcessor");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Map<UnencryptableAction, List<MailAddress>> groups = RecipientGroups.group(mail.getRecipients(),
            recipient -> policy.forDomain(Addresses.domainOf(recipient.asString())).unencryptable());
        // The copies come back here, so each group is routed by the same code path.
        UnencryptableAction action = RecipientGroups.keepFirstAndRequeueOthers(mail, groups, getMailetContext(),
            mail.getState());
        String reasons = mail.getRecipients().stream()
            .map(recipient -> certificates.select(recipient.asString()).reason()
                + pgpKeys.map(keys -> ", " + keys.select(recipient.asString()).reason()).orElse(""))
            .collect(Collectors.joining("; "));
        AuditTrail.recordReason(mail, "policy requires encryption: " + reasons);
        mail.setState(action == UnencryptableAction.HOLD ? holdProcessor : bounceProcessor);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate routing of mail that must be encrypted but cannot be";
    }
}
