package org.sealgate.mailets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.NoMatchingKeyException;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpDecryptionResult;
import org.sealgate.crypto.PgpRecipientsDecryption;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.policy.PolicyProvider;

/**
 * Decrypts inbound OpenPGP, PGP/MIME or inline ({@code -----BEGIN PGP MESSAGE-----} in a text/plain message), for the
 * managed recipients whose own key it was encrypted to. Recipients without such a key get it unchanged, marked
 * {@code X-Sealgate-Decryption: no-key}. A message that cannot be decrypted safely (garbled packets, no integrity
 * protection, failed MDC or AEAD check) goes whole to {@code failureProcessor} with the reason; no plaintext is
 * released from it (EFAIL). Signatures inside the encryption are checked here and reported by {@link PgpVerify};
 * a fully valid signer's key that came with the message is harvested. Only top-level encrypted content is
 * decrypted (see {@link MarkNestedEncryption}); subject tags the sender wrote inside are removed.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.PgpDecrypt">
 *     <failureProcessor>quarantine</failureProcessor>
 *     <splitProcessor>inbound</splitProcessor>
 * </mailet>
 * }</pre>
 */
public class PgpDecrypt extends GenericMailet {
    private MailMemoryBudget budget = MailMemoryBudgets.unlimited();
    private String busyProcessor = MemoryReservation.DEFAULT_BUSY_PROCESSOR;
    private final PgpCrypto crypto;
    private final PgpKeyDirectory keys;
    private final PolicyProvider policy;
    private final KeyHarvester harvester;
    private String failureProcessor;
    private String splitProcessor;

    @Inject
    public PgpDecrypt(PgpCrypto crypto, PgpKeyDirectory keys, PolicyProvider policy, KeyHarvester harvester) {
        this.crypto = crypto;
        this.keys = keys;
        this.policy = policy;
        this.harvester = harvester;
    }

    /** Built-in policy for every recipient. */
    public PgpDecrypt(PgpCrypto crypto, PgpKeyDirectory keys, KeyHarvester harvester) {
        this(crypto, keys, PolicyProvider.builtIn(), harvester);
    }

    @Override
    public void init() throws MessagingException {
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        failureProcessor = InitParameters.required(this, "failureProcessor");
        splitProcessor = InitParameters.required(this, "splitProcessor");
    }

    /** The node's budget for whole-message work (without injection, e.g. in tests: no limit). */
    @Inject
    public void useMemoryBudget(MailMemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!PgpCrypto.isEncrypted(mail.getMessage())) {
            return;
        }
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "OpenPGP decryption", busyProcessor)) {
            if (held != null) {
                serviceWithinBudget(mail);
            }
        }
    }

    private void serviceWithinBudget(Mail mail) throws MessagingException {
        if (!PgpCrypto.isEncrypted(mail.getMessage())) {
            return;
        }
        PgpVerificationPolicy verification = PgpVerificationPolicy.strict(PgpSignatureReport.knownKeys(keys, mail.getMessage()));
        Map<MailAddress, PgpManagedKey> keyOf = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            keys.managedKey(recipient.asString()).ifPresent(key -> keyOf.put(recipient, key));
        }
        Optional<PgpRecipientsDecryption> outcome;
        try {
            outcome = decryptOnce(mail, keyOf.values(), verification);
        } catch (CryptoException e) {
            AuditTrail.recordReason(mail, "OpenPGP decryption failed: " + e.getMessage());
            mail.setState(failureProcessor);
            return;
        }
        List<PgpManagedKey> opened = outcome.map(PgpRecipientsDecryption::opened).orElse(List.of());
        Map<Boolean, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            PgpManagedKey key = keyOf.get(recipient);
            groups.computeIfAbsent(key != null && opened.contains(key), k -> new ArrayList<>()).add(recipient);
        }
        PgpDecryptionResult decrypted = outcome.map(PgpRecipientsDecryption::result).orElse(null);
        boolean decryptable = RecipientGroups.keepFirstAndRequeueOthers(mail, groups, getMailetContext(), splitProcessor);
        if (!decryptable) {
            mail.getMessage().setHeader(SmimeDecrypt.DECRYPTION_HEADER, "no-key");
            mail.getMessage().saveChanges();
            AuditTrail.recordReason(mail, "OpenPGP encrypted to a key this gateway does not hold; delivered unchanged");
            return;
        }
        // Marked and saved before James holds it: the facade's message saves only its header block, where a save
        // through James's message parsed the whole decrypted tree once more.
        MimeMessage message = decrypted.message();
        message.setHeader(SmimeDecrypt.DECRYPTION_HEADER, "decrypted; method=openpgp"
            + (decrypted.inline() ? "-inline" : "") + "; algorithm=" + decrypted.mechanism());
        RemoveForgedMarks.stripSubjectTags(mail, message, List.of(), policy);
        message.saveChanges();
        HeaderSavingMessage.install(mail, message);
        Map<String, String> keyByRecipient = new LinkedHashMap<>();
        String fingerprint = "pgp:" + decrypted.key().fingerprint();
        mail.getRecipients().forEach(recipient -> keyByRecipient.put(recipient.asString(), fingerprint));
        AuditTrail.recordStep(mail, "pgp-decrypt", keyByRecipient);
        if (decrypted.signature().status() != SignatureStatus.NOT_SIGNED) {
            PgpSignatureReport.of(decrypted.signature()).attachTo(mail);
            if (decrypted.signature().isValid()) {
                KeyHarvester.Origin origin = new KeyHarvester.Origin(AuditTrail.messageId(mail), mail.getMaybeSender().asString(""),
                    "pgp-signer-key-with-mail");
                decrypted.signature().keysToHarvest().forEach(key -> harvester.harvest(key, origin));
            }
        }
    }

    /**
     * One decryption for all the recipients the sender encrypted to, not one per recipient (see
     * {@link PgpCrypto#decryptForRecipients}); empty when the message names none of their keys.
     */
    private Optional<PgpRecipientsDecryption> decryptOnce(Mail mail, Collection<PgpManagedKey> candidates,
                                                          PgpVerificationPolicy verification) throws CryptoException, MessagingException {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(crypto.decryptForRecipients(HeaderSavingMessage.held(mail),
                List.copyOf(new LinkedHashSet<>(candidates)), verification));
        } catch (NoMatchingKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate OpenPGP decryption (PGP/MIME and inline)";
    }
}
