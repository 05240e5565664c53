package org.sealgate.mailets;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.sealgate.budget.MailMemoryBudget;
import org.sealgate.budget.MailMemoryBudgets;
import org.sealgate.crypto.SignatureStatus;
import org.sealgate.crypto.SmimeCrypto;
import org.sealgate.crypto.VerificationPolicy;
import org.sealgate.crypto.VerificationResult;
import org.sealgate.keys.AnchorScopes;
import org.sealgate.keys.Fingerprints;
import org.sealgate.keys.KeyDirectory;
import org.sealgate.keys.KeyHarvester;
import org.sealgate.keys.ScopedAnchor;
import org.sealgate.policy.PolicyProvider;
import org.sealgate.policy.PolicySettings;
import org.sealgate.revocation.RevocationChecker;

/**
 * Verifies inbound S/MIME signatures and tells the recipient the result in {@code X-Sealgate-Signature} (always
 * set, so a forged header from outside is overwritten) and, if configured, in the subject. "valid" needs a good
 * signature by one signer whose certificate chains to a trust anchor, is in its validity period, allowed for
 * e-mail protection, not revoked, matches From (and Sender) outside and, for opaque signed-data, inside too (else
 * {@code signer-mismatch} with the invalid tag), and covers the whole message. With a {@link RevocationChecker}, the
 * signer's live revocation status is then asked as {@link SignerRevocation} says. Only then is the
 * signer's certificate harvested for later outbound encryption. The policy settings {@code subject-tags},
 * {@code tag-valid} and {@code tag-invalid} of each recipient override the init parameters; recipients that differ
 * are split into separate mails, re-queued to the current processor. The tag goes on the subject the recipient
 * sees: the signed one for opaque content, whose forged tags are removed first.
 *
 * <pre>{@code
 * <mailet match="All" class="org.sealgate.mailets.SmimeVerify">
 *     <subjectTags>true</subjectTags>
 *     <validTag>[signed OK]</validTag>
 *     <invalidTag>[signed INVALID]</invalidTag>
 * </mailet>
 * }</pre>
 */
public class SmimeVerify extends GenericMailet {
    public static final String SIGNATURE_HEADER = "X-Sealgate-Signature";

    private final SmimeCrypto crypto;
    private final KeyDirectory keys;
    private final PolicyProvider policy;
    private final KeyHarvester harvester;
    private final Clock clock;
    private final SignerRevocation revocation;
    private boolean subjectTags;
    private String validTag;
    private String invalidTag;
    private final MailMemoryBudget budget;
    private String busyProcessor;

    @Inject
    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester,
                       RevocationChecker revocation, MailMemoryBudget budget) {
        this(crypto, keys, policy, harvester, Clock.systemUTC(), Optional.of(revocation), budget);
    }

    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester,
                       RevocationChecker revocation) {
        this(crypto, keys, policy, harvester, Clock.systemUTC(), Optional.of(revocation));
    }

    /** Without live revocation: only CRLs in the store count. */
    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester) {
        this(crypto, keys, policy, harvester, Clock.systemUTC());
    }

    /** Subject tags as the init parameters say, for every recipient. */
    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, KeyHarvester harvester) {
        this(crypto, keys, PolicyProvider.builtIn(), harvester, Clock.systemUTC());
    }

    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester, Clock clock) {
        this(crypto, keys, policy, harvester, clock, Optional.empty());
    }

    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester, Clock clock,
                       Optional<RevocationChecker> revocation) {
        this(crypto, keys, policy, harvester, clock, revocation, MailMemoryBudgets.unlimited());
    }

    public SmimeVerify(SmimeCrypto crypto, KeyDirectory keys, PolicyProvider policy, KeyHarvester harvester, Clock clock,
                       Optional<RevocationChecker> revocation, MailMemoryBudget budget) {
        this.budget = budget;
        this.revocation = new SignerRevocation(policy, revocation);
        this.crypto = crypto;
        this.keys = keys;
        this.policy = policy;
        this.harvester = harvester;
        this.clock = clock;
    }

    /** How one recipient wants the result in the subject: the policy's settings, else the init parameters. */
    private record Tags(boolean on, String valid, String invalid) {
    }

    private Tags tagsFor(MailAddress recipient) {
        PolicySettings settings = policy.settingsFor(recipient.asString());
        return new Tags(settings.subjectTags().orElse(subjectTags), settings.validTag().orElse(validTag),
            settings.invalidTag().orElse(invalidTag));
    }

    @Override
    public void init() throws MessagingException {
        String tags = getInitParameter("subjectTags", "false").trim();
        if (!tags.equals("true") && !tags.equals("false")) {
            throw new MessagingException("SmimeVerify: 'subjectTags' must be true or false, got '" + tags + "'");
        }
        subjectTags = Boolean.parseBoolean(tags);
        validTag = getInitParameter("validTag", "[signed OK]");
        invalidTag = getInitParameter("invalidTag", "[signed INVALID]");
        busyProcessor = getInitParameter(MemoryReservation.BUSY_PROCESSOR, MemoryReservation.DEFAULT_BUSY_PROCESSOR).strip();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try (MailMemoryBudget.Reservation held = MemoryReservation.reserve(budget, mail, "S/MIME verification", busyProcessor)) {
            if (held != null) {
                verify(mail);
            }
        }
    }

    private void verify(Mail mail) throws MessagingException {
        // Recipients whose policies want different subject tags get their own copies (back through this processor).
        Map<Tags, List<MailAddress>> groups = RecipientGroups.group(mail.getRecipients(), this::tagsFor);
        Tags tags = groups.isEmpty() ? new Tags(subjectTags, validTag, invalidTag)
            : RecipientGroups.keepFirstAndRequeueOthers(mail, groups, getMailetContext(), mail.getState());
        MimeMessage message = HeaderSavingMessage.held(mail);
        List<ScopedAnchor> anchors = keys.scopedTrustAnchors();
        AnchorScopes scopes = new AnchorScopes(anchors, this::isManagedDomain);
        List<X509Certificate> known = knownCertificates(message);
        VerificationPolicy policy = new VerificationPolicy(anchors.stream().map(ScopedAnchor::certificate).toList(),
            keys.crls(), known, clock.instant(), scopes);
        VerificationResult verified = crypto.verify(message, policy);
        // Issuer candidates only when a live check runs; the signature's own certificates come from the verifier,
        // which has already parsed them (reading the signature again cost a MIME parse and a CMS parse per mail).
        SignerRevocation.Checked checked = revocation.apply(verified, () -> {
            List<X509Certificate> issuers = new ArrayList<>(policy.trustAnchors());
            issuers.addAll(known);
            issuers.addAll(verified.embeddedCertificates());
            issuers.addAll(keys.certificates());
            return issuers;
        });
        VerificationResult result = checked.result();
        // Opaque signed-data: show the signed content itself. Set it first, in a form that keeps the Message-ID (as
        // James's wrapper does) and saves the header changes below without parsing the body (James's wrapper parses it).
        MimeMessage shown = HeaderSavingMessage.install(mail, result.content().orElse(message));
        if (result.content().isPresent() && result.content().get() != message) {
            // Unwrapped opaque content: its Subject is now the visible one, and tags the sender wrote into it are
            // not ours (multipart/signed keeps the subject RemoveForgedMarks and the decrypting mailets left).
            RemoveForgedMarks.stripSubjectTags(mail, shown, List.of(tags.valid(), tags.invalid()), this.policy);
        }
        shown.setHeader(SIGNATURE_HEADER, headerValue(result) + (checked.mark().isEmpty() ? "" : "; " + checked.mark()));
        if (tags.on() && result.status() != SignatureStatus.NOT_SIGNED) {
            String tag = result.status() == SignatureStatus.VALID ? tags.valid() : tags.invalid();
            // The tag goes on the subject the recipient sees: for opaque content that is the signed one.
            String subject = shown.getSubject();
            shown.setSubject(subject == null ? tag : tag + " " + subject, "UTF-8");
        }
        shown.saveChanges();
        if (result.status() == SignatureStatus.NOT_SIGNED) {
            return;
        }
        if (result.status() == SignatureStatus.VALID) {
            // Only a fully valid signature may teach us a certificate: anything else would let a stranger plant a
            // key that later outbound mail is encrypted to.
            KeyHarvester.Origin origin = new KeyHarvester.Origin(AuditTrail.messageId(mail), mail.getMaybeSender().asString(""),
                "smime-signer-certificate");
            result.certificatesToHarvest().forEach(certificate -> harvester.harvest(certificate, origin));
        }
        Map<String, String> signerByRecipient = new LinkedHashMap<>();
        String signer = result.signerCertificate().map(c -> "signer:" + Fingerprints.sha256(c)).orElse("");
        for (MailAddress recipient : mail.getRecipients()) {
            signerByRecipient.put(recipient.asString(), signer);
        }
        AuditTrail.recordStep(mail, "smime-verify:" + result.status().headerValue(), signerByRecipient);
        if (!checked.mark().isEmpty()) {
            AuditTrail.recordReason(mail, "signature valid but the signer certificate's revocation status is unknown"
                + " (revocation: prefer)");
        }
    }

    private List<X509Certificate> knownCertificates(MimeMessage message) throws MessagingException {
        List<X509Certificate> known = new ArrayList<>();
        Address[] from = message.getFrom();
        if (from != null) {
            for (Address address : from) {
                if (address instanceof InternetAddress && ((InternetAddress) address).getAddress() != null) {
                    known.addAll(keys.certificatesFor(((InternetAddress) address).getAddress()));
                }
            }
        }
        return known;
    }

    private static String headerValue(VerificationResult result) {
        StringBuilder value = new StringBuilder(result.status().headerValue());
        if (!result.signerAddresses().isEmpty()) {
            value.append("; signer=").append(String.join(",", result.signerAddresses()));
        }
        if (result.status() != SignatureStatus.VALID && result.status() != SignatureStatus.NOT_SIGNED) {
            value.append("; reason=\"").append(result.detail().replace('"', '\'').replaceAll("[\\r\\n]+", " ")).append('"');
        }
        return value.toString();
    }

    /** A name James cannot take as a domain counts as managed: no anchor but an explicitly scoped one vouches for it. */
    private boolean isManagedDomain(String domain) {
        try {
            return getMailetContext().isLocalServer(Domain.of(domain));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    @Override
    public String getMailetInfo() {
        return "Sealgate S/MIME signature verification";
    }
}
