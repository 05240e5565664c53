package org.sealgate.mailets;

import java.time.Clock;
import java.util.LinkedHashMap;
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
import org.sealgate.crypto.PgpCrypto;
import org.sealgate.crypto.PgpVerificationPolicy;
import org.sealgate.crypto.PgpVerificationResult;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.pgp.PgpKeyDirectory;

/**
 * Verifies inbound OpenPGP signatures, PGP/MIME signed (RFC 3156 §5, over the canonical CRLF form) or signed inside
 * an encryption (reported by {@link PgpDecrypt}), and tells the recipient in {@code X-Sealgate-Signature} and, if
 * configured, the subject. The rules for "valid" are those of S/MIME: one signer, a correct signature, the key
 * neither revoked nor expired, a user ID matching From (and Sender), the whole message covered. A key the admin
 * imported makes it trusted ({@code validTag}); a harvested key or one that came with the message gives a valid
 * but untrusted result ({@code untrustedTag}). Mail without an OpenPGP signature is left as {@link SmimeVerify}
 * marked it. A fully valid signer's key that came with the message is harvested (as untrusted).
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.PgpVerify">
 *     <subjectTags>true</subjectTags>
 *     <validTag>[PGP OK]</validTag>
 *     <untrustedTag>[PGP UNTRUSTED]</untrustedTag>
 *     <invalidTag>[PGP INVALID]</invalidTag>
 * </mailet>
 * }</pre>
 */
public class PgpVerify extends GenericMailet {
    private MailMemoryBudget budget = MailMemoryBudgets.unlimited();
    private String busyProcessor = MemoryReservation.DEFAULT_BUSY_PROCESSOR;
    private final PgpCrypto crypto;
    private final PgpKeyDirectory keys;
    private final KeyHarvester harvester;
    private final Clock clock;
    private boolean subjectTags;
    private String validTag;
    private String untrustedTag;
    private String invalidTag;

    @Inject
    public PgpVerify(PgpCrypto crypto, PgpKeyDirectory keys, KeyHarvester harvester) {
        this(crypto, keys, harvester, Clock.systemUTC());
    }

    public PgpVerify(PgpCrypto crypto, PgpKeyDirectory keys, KeyHarvester harvester, Clock clock) {
        this.crypto = crypto;
        this.keys = keys;
        this.harvester = harvester;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
        subjectTags = InitParameters.bool(this, "subjectTags", false);
        validTag = getInitParameter("validTag", "[PGP OK]");
        untrustedTag = getInitParameter("untrustedTag", "[PGP UNTRUSTED]");
        invalidTag = getInitParameter("invalidTag", "[PGP INVALID]");
    }

    /** The node's budget for whole-message work (without injection, e.g. in tests: no limit). */
    @Inject
    public void useMemoryBudget(MailMemoryBudget budget) {
        this.budget = budget;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "OpenPGP verification", busyProcessor)) {
            if (held != null) {
                serviceWithinBudget(mail);
            }
        }
    }

    private void serviceWithinBudget(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        PgpVerificationResult verified = crypto.verify(message,
            new PgpVerificationPolicy(PgpSignatureReport.knownKeys(keys, message), clock.instant(), true, true));
        Optional<PgpSignatureReport> report = verified.status() != SignatureStatus.NOT_SIGNED
            ? Optional.of(PgpSignatureReport.of(verified)) : PgpSignatureReport.from(mail);
        if (report.isEmpty()) {
            return;
        }
        if (verified.isValid()) {
            KeyHarvester.Origin origin = new KeyHarvester.Origin(AuditTrail.messageId(mail), mail.getMaybeSender().asString(""),
                "pgp-signer-key-with-mail");
            verified.keysToHarvest().forEach(key -> harvester.harvest(key, origin));
        }
        PgpSignatureReport result = report.get();
        message.setHeader(SmimeVerify.SIGNATURE_HEADER, result.headerValue());
        if (subjectTags) {
            String tag = result.status() != SignatureStatus.VALID ? invalidTag : result.trusted() ? validTag : untrustedTag;
            String subject = message.getSubject();
            message.setSubject(subject == null ? tag : tag + " " + subject, "UTF-8");
        }
        message.saveChanges();
        Map<String, String> signerByRecipient = new LinkedHashMap<>();
        for (MailAddress recipient : mail.getRecipients()) {
            signerByRecipient.put(recipient.asString(), result.signerFingerprint().isEmpty() ? "" : "signer:pgp:" + result.signerFingerprint());
        }
        AuditTrail.recordStep(mail, "pgp-verify:" + result.status().headerValue()
            + (result.status() == SignatureStatus.VALID && !result.trusted() ? "-untrusted" : ""), signerByRecipient);
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate OpenPGP signature verification";
    }
}
