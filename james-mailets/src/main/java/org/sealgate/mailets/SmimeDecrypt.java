package org.sealgate.mailets;

import java.util.ArrayList;
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
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.DecryptionResult;
import org.sealgate.crypto.NoMatchingKeyException;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.ManagedIdentity;
import org.sealgate.policy.CbcHandling;
import org.sealgate.policy.PolicyProvider;

/**
 * Decrypts inbound S/MIME for the managed recipients whose own key the message was encrypted to, keeping the
 * whole inner MIME tree. Recipients the message was not encrypted to (or who have no key here) get it unchanged,
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

    @Inject
    public SmimeDecrypt(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy) {
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
        Map<Boolean, List<MailAddress>> groups = new LinkedHashMap<>();
        DecryptionResult decrypted = null;
        try {
            for (MailAddress recipient : mail.getRecipients()) {
                Optional<DecryptionResult> result = decryptFor(mail, recipient);
                if (decrypted == null && result.isPresent()) {
                    decrypted = result.get();
                }
                groups.computeIfAbsent(result.isPresent(), k -> new ArrayList<>()).add(recipient);
            }
        } catch (CryptoException e) {
            AuditTrail.recordReason(mail, "S/MIME decryption failed: " + e.getMessage());
            mail.setState(failureProcessor);
            return;
        }
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
        mail.setMessage(decrypted.message());
        MimeMessage shown = mail.getMessage();
        shown.setHeader(DECRYPTION_HEADER, "decrypted; algorithm=" + decrypted.contentAlgorithm()
            + (decrypted.integrityProtected() ? "" : "; integrity=none"));
        RemoveForgedMarks.stripSubjectTags(mail, shown, List.of(unauthenticatedTag), policy);
        if (cbc == CbcHandling.MARK) {
            String subject = shown.getSubject();
            shown.setSubject(subject == null ? unauthenticatedTag : unauthenticatedTag + " " + subject, "UTF-8");
        }
        shown.saveChanges();
        String fingerprint = Fingerprints.sha256(decrypted.identity().certificate());
        Map<String, String> keyByRecipient = new LinkedHashMap<>();
        mail.getRecipients().forEach(recipient -> keyByRecipient.put(recipient.asString(), fingerprint));
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
     * Decrypts with the recipient's own key. The plaintext is the same for every recipient; trying each one's key
     * tells which recipients the sender actually encrypted to.
     */
    private Optional<DecryptionResult> decryptFor(Mail mail, MailAddress recipient) throws CryptoException, MessagingException {
        Optional<ManagedIdentity> identity = keys.managedIdentity(recipient.asString());
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(crypto.decrypt(mail.getMessage(), List.of(identity.get())));
        } catch (NoMatchingKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate S/MIME decryption";
    }
}
