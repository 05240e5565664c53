package org.sealgate.mailets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.CryptoException;
import org.sealgate.crypto.HeaderProtection;
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpEncryptionPolicy;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Addresses;
import org.sealgate.pgp.PgpKeyDirectory;
import org.sealgate.pgp.PgpPublicKey;
import org.sealgate.pgp.PgpManagedKey;
import org.sealgate.policy.PolicyProvider;

/**
 * Encrypts the mail with OpenPGP (PGP/MIME, RFC 3156) to every recipient's key and, when the policy says sign
 * and the gateway holds the sender's OpenPGP key, signs it inside the encryption (RFC 3156
 * §6.2). SEIPDv2 (AES-256, OCB or GCM) when every recipient's key supports it, SEIPDv1 with MDC otherwise. The
 * real Subject travels inside (RFC 9788); outside it reads {@code outerSubject}. Match it with
 * {@link org.sealgate.matchers.PolicyChooses}{@code =pgp}: a
 * recipient without a usable key here is an error (the mail goes to the error processor, never out in clear). When {@code SmimeSign} already signed the
 * mail (the audit trail says so), that S/MIME signature is replaced by the OpenPGP one: an OpenPGP recipient
 * should not get an smime.p7s attachment. A signature the sender's own client made is kept as it is.
 * The keys are the ones {@link ApplyPolicy} selected ({@link SelectedKeys}), taken by fingerprint from the key
 * stores; only a recipient without such a selection is selected again here.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.PolicyChooses=pgp" class="org.sealgate.mailets.PgpEncrypt">
 *     <nextProcessor>route-delivery</nextProcessor>
 *     <outerSubject>...</outerSubject>
 *     <aead>ocb</aead>
 * </mailet>
 * }</pre>
 */
public class PgpEncrypt extends GenericMailet {
    private MailMemoryBudget budget = MailMemoryBudgets.unlimited();
    private String busyProcessor = MemoryReservation.DEFAULT_BUSY_PROCESSOR;
    private final PgpCrypto crypto;
    private final SmimeCrypto smime;
    private final RecipientPgpKeys recipientKeys;
    private final PgpKeyDirectory keys;
    private final PolicyProvider policy;
    private final SelectedKeyLookup selectedKeys;
    private String nextProcessor;
    private PgpEncryptionPolicy encryption;

    /** Without the key stores' look-up by fingerprint: every recipient's key is selected here. */
    public PgpEncrypt(PgpCrypto crypto, SmimeCrypto smime, RecipientPgpKeys recipientKeys, PgpKeyDirectory keys,
                      PolicyProvider policy) {
        this(crypto, smime, recipientKeys, keys, policy, SelectedKeyLookup.NONE);
    }

    @Inject
    public PgpEncrypt(PgpCrypto crypto, SmimeCrypto smime, RecipientPgpKeys recipientKeys, PgpKeyDirectory keys,
                      PolicyProvider policy, SelectedKeyLookup selectedKeys) {
        this.selectedKeys = selectedKeys;
        this.crypto = crypto;
        this.smime = smime;
        this.recipientKeys = recipientKeys;
        this.keys = keys;
        this.policy = policy;
    }

    @Override
    public void init() throws MessagingException {
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        nextProcessor = InitParameters.required(this, "nextProcessor");
        String aead = getInitParameter("aead", "ocb").trim().toLowerCase(Locale.ROOT);
        if (!aead.equals("ocb") && !aead.equals("gcm")) {
            throw new MessagingException("PgpEncrypt: 'aead' must be ocb or gcm, got '" + aead + "'");
        }
        boolean protect = InitParameters.bool(this, "headerProtection", true);
        String outerSubject = getInitParameter("outerSubject", HeaderProtection.DEFAULT_OUTER_SUBJECT);
        try {
            encryption = new PgpEncryptionPolicy(InitParameters.bool(this, "seipdV2", true),
                aead.equals("ocb") ? PgpEncryptionPolicy.Aead.OCB : PgpEncryptionPolicy.Aead.GCM,
                protect ? new HeaderProtection(true, outerSubject) : HeaderProtection.OFF);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("PgpEncrypt: " + e.getMessage());
        }
    }

    /** The node's budget for whole-message work (without injection, e.g. in tests: no limit). */
    @Inject
    public void useMemoryBudget(MailMemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "OpenPGP encryption", busyProcessor)) {
            if (held != null) {
                serviceWithinBudget(mail);
            }
        }
    }

    private void serviceWithinBudget(Mail mail) throws MessagingException {
        List<OpenPGPCertificate> certificates = new ArrayList<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, SelectedKeys.Entry> carried = SelectedKeys.covering(mail, SelectedKeys.Kind.PGP,
            mail.getRecipients(), selectedKeys.now()).orElse(Map.of());
        for (MailAddress recipient : mail.getRecipients()) {
            String address = recipient.asString();
            SelectedKeys.Entry entry = carried.get(Addresses.normalise(address));
            Optional<PgpPublicKey> key = entry == null ? Optional.empty() : selectedKeys.pgpKey(address, entry.fingerprint());
            if (key.isEmpty()) {
                // Nothing (usable) carried from ApplyPolicy: select as it would, and refuse what is not usable.
                SelectedKeys.countRepeated();
                RecipientPgpKeys.Selection selection = recipientKeys.select(address);
                if (!selection.usable()) {
                    throw new MessagingException("PgpEncrypt: " + selection.reason());
                }
                key = selection.key();
            }
            certificates.add(key.get().certificate());
            fingerprints.put(address, "pgp:" + key.get().fingerprint());
        }
        Optional<PgpManagedKey> signer = signer(mail);
        try {
            if (signer.isPresent() && signedBySealgate(mail)) {
                HeaderSavingMessage.install(mail, smime.removeDetachedSignature(mail.getMessage()));
                AuditTrail.recordStep(mail, "smime-sign-replaced", Map.of());
            }
            HeaderSavingMessage.install(mail, crypto.encrypt(mail.getMessage(), certificates, signer, encryption));
        } catch (CryptoException e) {
            throw new MessagingException("PgpEncrypt: " + e.getMessage(), e);
        }
        if (signer.isPresent()) {
            Map<String, String> signerByRecipient = new LinkedHashMap<>();
            mail.getRecipients().forEach(r -> signerByRecipient.put(r.asString(), "signer:pgp:" + signer.get().fingerprint()));
            AuditTrail.recordStep(mail, "pgp-sign", signerByRecipient);
        }
        AuditTrail.recordStep(mail, "pgp-encrypt", fingerprints);
        mail.setState(nextProcessor);
    }

    private static boolean signedBySealgate(Mail mail) throws MessagingException {
        String steps = AuditTrail.method(mail);
        return steps.contains("smime-sign") && !steps.contains("smime-sign-replaced") && SmimeCrypto.isSigned(mail.getMessage());
    }

    /**
     * The sender's managed key, when From is one managed address and signing is wanted: the policy engine's decision
     * when it ran on this mail (it knows user entries and the {@code [sign]} trigger), else the sender's policy.
     */
    private Optional<PgpManagedKey> signer(Mail mail) throws MessagingException {
        Optional<String> author = Senders.author(mail);
        if (author.isEmpty()) {
            return Optional.empty();
        }
        String address = author.get();
        if (!PolicyAttributes.sign(mail).orElseGet(() -> policy.settingsFor(address).sign())) {
            return Optional.empty();
        }
        return keys.managedKey(address);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate OpenPGP (PGP/MIME) encryption";
    }
}
