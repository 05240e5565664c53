package org.sealgate.mailets;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.DecryptionResult;
import org.sealgate.crypto.NoMatchingKeyException;
import org.sealgate.crypto.RecipientsDecryption;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.policy.CbcHandling;
import org.sealgate.policy.PolicyProvider;

/**
 * Decrypts inbound S/MIME for the managed recipients whose own key the message was encrypted to, keeping the
 * whole inner MIME tree, once for all of them: the RecipientInfos name the recipients, the first one's key opens
 * the content, and each further one's RecipientInfo must carry the same content key (else the mail fails whole, as
 * when one recipient's decryption fails). Recipients the message was not encrypted to (or who have no key here) get it unchanged,
 * marked {@code X-Sealgate-Decryption: no-key}: it may be end-to-end encrypted by the sender's client. A message
 * that cannot be decrypted safely (garbled or truncated CMS, failed integrity check) goes whole to
 * {@code failureProcessor} with the reason; no plaintext is ever released from it. Content without integrity
 * protection (CBC EnvelopedData: malleable, EFAIL) is handled as the recipients' policy setting {@code inbound-cbc}
 * says, the strictest one winning: {@code allow} decrypts, {@code mark} (default) decrypts and prefixes the subject
 * with {@code unauthenticatedTag}, {@code refuse} sends the mail whole to {@code failureProcessor}; the
 * {@code X-Sealgate-Decryption} header says {@code integrity=none} either way. Subject tags the sender wrote
 * inside the encryption are removed (see {@link RemoveForgedMarks}).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.SmimeDecrypt">
 *     <failureProcessor>quarantine</failureProcessor>
 *     <splitProcessor>inbound</splitProcessor>
 *     <unauthenticatedTag>[unauthenticated]</unauthenticatedTag>
 * </mailet>
 * }</pre>
 */
public class SmimeDecrypt extends GenericMailet {
    static final String DECRYPTION_HEADER = "X-Sealgate-Decryption";

    private final SmimeCrypto crypto;
    private final KeyDirectory keys;
    private final PolicyProvider policy;
    private String failureProcessor;
    private String splitProcessor;
    private String unauthenticatedTag;
    private final MailMemoryBudget budget;
    private String busyProcessor;

    public SmimeDecrypt(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy) {
        this(crypto, keys, policy, MailMemoryBudgets.unlimited());
    }

    @Inject
    public SmimeDecrypt(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, MailMemoryBudget budget) {
        this.budget = budget;
        this.crypto = crypto;
        this.keys = keys;
        this.policy = policy;
    }

    /** Built-in policy for every recipient (CBC: mark). */
    public SmimeDecrypt(SmimeCrypto crypto, KeyDirectory keys) {
        this(crypto, keys, PolicyProvider.builtIn());
    }

    @Override
    public void init() throws MessagingException {
        failureProcessor = InitParameters.required(this, "failureProcessor");
        splitProcessor = InitParameters.required(this, "splitProcessor");
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        unauthenticatedTag = getInitParameter("unauthenticatedTag", "[unauthenticated]").strip();
        if (unauthenticatedTag.isEmpty()) {
            throw new MessagingException("SmimeDecrypt: 'unauthenticatedTag' must not be empty");
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!SmimeCrypto.isEncrypted(mail.getMessage())) {
            return;
        }
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "S/MIME decryption", busyProcessor)) {
            if (held != null) {
                decrypt(mail);
            }
        }
    }

    private void decrypt(Mail mail) throws MessagingException {
        Map<MailAddress, ManagedIdentity> identities = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            keys.managedIdentity(recipient.asString()).ifPresent(identity -> identities.put(recipient, identity));
        }
        Optional<RecipientsDecryption> outcome;
        try {
            outcome = decryptOnce(mail, identities.values());
        } catch (CryptoException e) {
            AuditTrail.recordReason(mail, "S/MIME decryption failed: " + e.getMessage());
            mail.setState(failureProcessor);
            return;
        }
        Set<X509Certificate> addressed = new HashSet<>();
        outcome.ifPresent(o -> o.addressed().forEach(identity -> addressed.add(identity.certificate())));
        Map<Boolean, List<MailAddress>> groups = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            ManagedIdentity identity = identities.get(recipient);
            boolean opens = identity != null && addressed.contains(identity.certificate());
            groups.computeIfAbsent(opens, k -> new ArrayList<>()).add(recipient);
        }
        DecryptionResult decrypted = outcome.map(RecipientsDecryption::result).orElse(null);
        boolean decryptable = RecipientGroups.keepFirstAndRequeueOthers(mail, groups, getMailetContext(), splitProcessor);
        if (!decryptable) {
            mail.getMessage().setHeader(DECRYPTION_HEADER, "no-key");
            mail.getMessage().saveChanges();
            AuditTrail.recordReason(mail, "encrypted to a key this gateway does not hold; delivered unchanged");
            return;
        }
        CbcHandling cbc = decrypted.integrityProtected() ? CbcHandling.ALLOW : strictestCbcHandling(mail);
        if (cbc == CbcHandling.REFUSE) {
            AuditTrail.recordReason(mail, "S/MIME without integrity protection (" + decrypted.contentAlgorithm()
                + ") refused by policy (inbound-cbc = refuse)");
            mail.setState(failureProcessor);
            return;
        }
        // The mail holds the decrypted message in a form whose header changes below save without parsing its body.
        MimeMessage shown = HeaderSavingMessage.install(mail, decrypted.message());
        shown.setHeader(DECRYPTION_HEADER, "decrypted; algorithm=" + decrypted.contentAlgorithm()
            + (decrypted.integrityProtected() ? "" : "; integrity=none"));
        RemoveForgedMarks.stripSubjectTags(mail, shown, List.of(unauthenticatedTag), policy);
        if (cbc == CbcHandling.MARK) {
            String subject = shown.getSubject();
            shown.setSubject(subject == null ? unauthenticatedTag : unauthenticatedTag + " " + subject, "UTF-8");
        }
        shown.saveChanges();
        // Each recipient's own key: its RecipientInfo was shown to carry the content key.
        Map<String, String> keyByRecipient = new LinkedHashMap<>();
        mail.getRecipients().forEach(recipient -> keyByRecipient.put(recipient.asString(),
            Fingerprints.sha256(identities.get(recipient).certificate())));
        AuditTrail.recordStep(mail, decrypted.integrityProtected() ? "smime-decrypt" : "smime-decrypt-unauthenticated",
            keyByRecipient);
    }

    private CbcHandling strictestCbcHandling(Mail mail) {
        CbcHandling strictest = CbcHandling.ALLOW;
        for (MailAddress recipient : mail.getRecipients()) {
            CbcHandling handling = policy.settingsFor(recipient.asString()).inboundCbc();
            if (handling.compareTo(strictest) > 0) {
                strictest = handling;
            }
        }
        return strictest;
    }

    /**
     * One decryption for all the recipients the sender encrypted to (not one per recipient): the CMS names them by
     * certificate, and each further one's RecipientInfo must carry the same content key (see
     * {@link SmimeCrypto#decryptForRecipients}). Empty when it names none of them.
     */
    private Optional<RecipientsDecryption> decryptOnce(Mail mail, Collection<ManagedIdentity> candidates)
        throws CryptoException, MessagingException {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(crypto.decryptForRecipients(HeaderSavingMessage.held(mail),
                List.copyOf(new LinkedHashSet<>(candidates))));
        } catch (NoMatchingKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate S/MIME decryption";
    }
}
