package org.sealgate.mailets;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
import org.sealgate.crypto.EncryptionPolicy;
import org.sealgate.crypto.HeaderProtection;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.keys.Addresses;
import org.sealgate.keys.Fingerprints;
import org.sealgate.policy.PolicyProvider;

/**
 * Encrypts the mail with S/MIME to every recipient's certificate, then hands it to {@code nextProcessor}.
 * Recipients whose domains ask for different CMS settings (AES-256-GCM AuthEnvelopedData by default, AES-256-CBC
 * EnvelopedData for old clients) are split into separate mails, re-queued to {@code splitProcessor}.
 * CMS settings are the recipient's (user entry, domain, wildcard domain, default).
 * Match it with {@link org.sealgate.matchers.PolicyChooses}{@code =smime}: a recipient without a usable certificate here
 * is an error (the mail goes to the error processor, never out in clear). With {@code headerProtection} (default
 * true) the real Subject travels inside the encryption and relays see {@code outerSubject} (RFC 9788).
 * The certificates are the ones {@link ApplyPolicy} selected ({@link SelectedKeys}), taken by fingerprint from the
 * key stores; only a recipient without such a selection is selected again here.
 *
 * <pre>{@code
 * <mailet match="org.sealgate.matchers.PolicyChooses=smime" class="org.sealgate.mailets.SmimeEncrypt">
 *     <nextProcessor>deliver</nextProcessor>
 *     <splitProcessor>encrypt</splitProcessor>
 *     <headerProtection>true</headerProtection>
 *     <outerSubject>...</outerSubject>
 * </mailet>
 * }</pre>
 */
public class SmimeEncrypt extends GenericMailet {
    private final SmimeCrypto crypto;
    private final RecipientCertificates certificates;
    private final PolicyProvider policy;
    private final SelectedKeyLookup selectedKeys;
    private String nextProcessor;
    private String splitProcessor;
    private HeaderProtection headers;
    private final MailMemoryBudget budget;
    private String busyProcessor;

    /** Without the key stores: every recipient's certificate is selected here. */
    public SmimeEncrypt(SmimeCrypto crypto, RecipientCertificates certificates, PolicyProvider policy) {
        this(crypto, certificates, policy, SelectedKeyLookup.NONE);
    }

    public SmimeEncrypt(SmimeCrypto crypto, RecipientCertificates certificates, PolicyProvider policy,
                        SelectedKeyLookup selectedKeys) {
        this(crypto, certificates, policy, selectedKeys, MailMemoryBudgets.unlimited());
    }

    @Inject
    public SmimeEncrypt(SmimeCrypto crypto, RecipientCertificates certificates, PolicyProvider policy,
                        SelectedKeyLookup selectedKeys, MailMemoryBudget budget) {
        this.budget = budget;
        this.crypto = crypto;
        this.certificates = certificates;
        this.policy = policy;
        this.selectedKeys = selectedKeys;
    }

    @Override
    public void init() throws MessagingException {
        nextProcessor = InitParameters.required(this, "nextProcessor");
        splitProcessor = InitParameters.required(this, "splitProcessor");
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        try {
            headers = InitParameters.bool(this, "headerProtection", true)
                ? new HeaderProtection(true, getInitParameter("outerSubject", HeaderProtection.DEFAULT_OUTER_SUBJECT))
                : HeaderProtection.OFF;
        } catch (IllegalArgumentException e) {
            throw new MessagingException("SmimeEncrypt: " + e.getMessage());
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Map<EncryptionPolicy, List<MailAddress>> groups = RecipientGroups.group(mail.getRecipients(),
            recipient -> policy.settingsFor(recipient.asString()).cms());
        EncryptionPolicy cms = RecipientGroups.keepFirstAndRequeueOthers(mail, groups, getMailetContext(), splitProcessor);

        List<X509Certificate> recipientCertificates = new ArrayList<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        Map<String, SelectedKeys.Entry> carried = SelectedKeys.covering(mail, SelectedKeys.Kind.SMIME,
            mail.getRecipients(), selectedKeys.now()).orElse(Map.of());
        for (MailAddress recipient : mail.getRecipients()) {
            String address = recipient.asString();
            SelectedKeys.Entry entry = carried.get(Addresses.normalise(address));
            Optional<X509Certificate> selected = entry == null ? Optional.empty()
                : selectedKeys.certificate(address, entry.fingerprint());
            X509Certificate certificate;
            String note;
            if (selected.isPresent()) {
                certificate = selected.get();
                note = entry.note();
            } else {
                // Nothing (usable) carried from ApplyPolicy: select as it would, and refuse what is not usable.
                SelectedKeys.countRepeated();
                RecipientCertificates.Selection selection = certificates.select(address);
                certificate = selection.certificate()
                    .orElseThrow(() -> new MessagingException("SmimeEncrypt: " + selection.reason()));
                note = selection.note();
            }
            recipientCertificates.add(certificate);
            if (!note.isEmpty()) {
                // revocation: prefer used a certificate whose status could not be learned: say so in the audit event.
                AuditTrail.recordReason(mail, note);
            }
            fingerprints.put(address, Fingerprints.sha256(certificate));
        }
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "S/MIME encryption", busyProcessor)) {
            if (held == null) {
                return;
            }
            HeaderSavingMessage.install(mail, crypto.encrypt(mail.getMessage(), recipientCertificates, cms, headers));
        } catch (CryptoException e) {
            throw new MessagingException("SmimeEncrypt: " + e.getMessage(), e);
        }
        AuditTrail.recordStep(mail, "smime-encrypt", fingerprints);
        mail.setState(nextProcessor);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate S/MIME encryption";
    }
}
