package org.sealgate.smtp;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.sealgate.audit.AuditEvent;
import org.sealgate.audit.AuditPublisher;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KnownRecipients;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.policy.PolicyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server's RCPT check, after James's own (relaying): a node without a policy it can trust takes no mail
 * ({@code 451 4.3.0}, the client retries; never the built-in defaults), and with {@code recipients = known} a
 * recipient in a managed domain that the gateway does not know ({@link KnownRecipients}) is refused with
 * {@code 550 5.1.1} at once, so no bounce goes later to a sender nobody verified. Each refusal is audited.
 *
 * <pre>{@code
 * <handler class="org.sealgate.smtp.RecipientGate">
 *     <recipients>known</recipients>              <!-- known | any -->
 *     <recipientList>/var/lib/sealgate/recipients.txt</recipientList>
 * </handler>
 * }</pre>
 */
public class RecipientGate implements RcptHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecipientGate.class);

    private final PolicyProvider policy;
    private final KeyDirectory keys;
    private final PgpKeyDirectory pgpKeys;
    private final DomainList domains;
    private final AuditPublisher audit;
    private final AtomicReference<String> lastUnavailable = new AtomicReference<>();
    private boolean knownOnly = true;
    private KnownRecipients known;

    @Inject
    public RecipientGate(PolicyProvider policy, KeyDirectory keys, PgpKeyDirectory pgpKeys, DomainList domains,
                         AuditPublisher audit) {
        this.policy = policy;
        this.keys = keys;
        this.pgpKeys = pgpKeys;
        this.domains = domains;
        this.audit = audit;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        String mode = config.getString("recipients", "known").trim();
        if (!mode.equals("known") && !mode.equals("any")) {
            throw new ConfigurationException("RecipientGate: 'recipients' must be known or any, got '" + mode + "'");
        }
        knownOnly = mode.equals("known");
        String list = config.getString("recipientList", "").trim();
        known = new KnownRecipients(keys, pgpKeys, list.isEmpty() ? Optional.empty() : Optional.of(Path.of(list)));
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        Optional<String> unavailable = policy.unavailable();
        if (unavailable.isPresent()) {
            if (!unavailable.get().equals(lastUnavailable.getAndSet(unavailable.get()))) {
                LOGGER.error("Refusing mail with 451 until a policy is in force: {}", unavailable.get());
            }
            refused(session, sender, rcpt, "temporarily refused: no policy in force: " + unavailable.get());
            return HookResult.builder().hookReturnCode(HookReturnCode.denySoft()).smtpReturnCode(SMTPRetCode.LOCAL_ERROR)
                .smtpDescription("4.3.0 Gateway configuration unavailable, try again later").build();
        }
        lastUnavailable.set(null);
        if (knownOnly && isManaged(rcpt) && !known.isKnown(rcpt.asString())) {
            refused(session, sender, rcpt, "unknown recipient in a managed domain");
            return HookResult.builder().hookReturnCode(HookReturnCode.deny())
                .smtpReturnCode(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE)
                .smtpDescription("5.1.1 <" + rcpt.asString() + ">: no such user here").build();
        }
        return HookResult.DECLINED;
    }

    private boolean isManaged(MailAddress rcpt) {
        try {
            return domains.containsDomain(rcpt.getDomain());
        } catch (DomainListException e) {
            return true;    // cannot tell: treat as ours, so an unknown address is still refused
        }
    }

    private void refused(SMTPSession session, MaybeSender sender, MailAddress rcpt, String reason) {
        audit.publish(new AuditEvent(Instant.now(), "smtp-" + session.getSessionID(), "smtp", sender.asString(""),
            List.of(new AuditEvent.RecipientOutcome(rcpt.asString(), "none", "")), "refused",
            reason + " (client " + session.getRemoteAddress().getAddress().getHostAddress() + ")"));
    }
}
