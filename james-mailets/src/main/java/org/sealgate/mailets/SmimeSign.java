package org.sealgate.mailets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.policy.PolicyProvider;

/**
 * Signs outbound mail (detached multipart/signed, SHA-256) with the managed key of the address in From, when the
 * policy engine decided so ({@link ApplyPolicy}: the sender's {@code sign} setting or a {@code [sign]} trigger; without
 * a decision, the sender's policy) and the gateway holds that key. Mail that is already signed, or whose
 * From is not a single managed address, passes unchanged: signing it would only produce a signature that
 * recipients must reject.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.SmimeSign"/>
 * }</pre>
 */
public class SmimeSign extends GenericMailet {
    private final SmimeCrypto crypto;
    private final KeyDirectory keys;
    private final PolicyProvider policy;
    private final MailMemoryBudget budget;
    private String busyProcessor;

    public SmimeSign(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy) {
        this(crypto, keys, policy, MailMemoryBudgets.unlimited());
    }

    @Inject
    public SmimeSign(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, MailMemoryBudget budget) {
        this.crypto = crypto;
        this.keys = keys;
        this.policy = policy;
        this.budget = budget;
    }

    @Override
    public void init() {
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> from = Senders.author(mail);
        if (from.isEmpty() || !signingWanted(mail, from.get()) || SmimeCrypto.isSigned(mail.getMessage()) || SmimeCrypto.isEncrypted(mail.getMessage())) {
            return;
        }
        Optional<ManagedIdentity> signer = keys.managedIdentity(from.get());
        if (signer.isEmpty()) {
            return;
        }
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "S/MIME signing", busyProcessor)) {
            if (held == null) {
                return;
            }
            HeaderSavingMessage.install(mail, crypto.sign(mail.getMessage(), signer.get()));
        } catch (CryptoException e) {
            throw new MessagingException("SmimeSign: " + e.getMessage(), e);
        }
        String fingerprint = Fingerprints.sha256(signer.get().certificate());
        Map<String, String> keyByRecipient = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            keyByRecipient.put(recipient.asString(), "signer:" + fingerprint);
        }
        AuditTrail.recordStep(mail, "smime-sign", keyByRecipient);
    }

    /** The policy engine's decision when it ran on this mail (it knows the {@code [sign]} trigger), else the sender's policy. */
    private boolean signingWanted(Mail mail, String from) {
        return PolicyAttributes.sign(mail).orElseGet(() -> policy.settingsFor(from).sign());
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate S/MIME signing";
    }
}
