package org.sealgate.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.bcpg.sig.IntendedRecipientFingerprint;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPSignature.OpenPGPDocumentSignature;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpPublicKey;

/**
 * The rules for "valid", the same as for S/MIME: one signer, a correct signature by a key that may sign, the key
 * neither revoked nor expired now, a user ID naming the From address, the whole visible message covered.
 * A key the admin imported makes the result trusted; a key that came with the message or was harvested does not.
 */
final class PgpSignatureRules {

    /** Candidate signer keys: the directory's (with their source) and those that came with the message. */
    record Candidates(List<PgpPublicKey> known, List<OpenPGPCertificate> attached) {
        List<OpenPGPCertificate> all() {
            List<OpenPGPCertificate> all = new ArrayList<>();
            known.forEach(key -> all.add(key.certificate()));
            all.addAll(attached);
            return all;
        }

        Optional<PgpPublicKey> knownByFingerprint(String fingerprint) {
            return known.stream().filter(key -> key.fingerprint().equals(fingerprint)).findFirst();
        }
    }

    static final String UNKNOWN_SIGNER = "the signer's key is unknown here";

    private PgpSignatureRules() {
    }

    /**
     * @param rejected      why Bouncy Castle dropped signatures (weak hash, malformed), for the report
     * @param seen          the message as it arrived and, for encrypted content, as the recipient will see it: the
     *                      From (and Sender) of each must be the signer's
     * @param decryptedWith the certificate whose key decrypted the message, for the intended-recipient check;
     *                      empty for a signature outside any encryption
     */
    static PgpVerificationResult evaluate(List<OpenPGPDocumentSignature> signatures, Candidates candidates,
                                          List<MimeMessage> seen, boolean wholeMessage,
                                          Optional<OpenPGPCertificate> decryptedWith, PgpVerificationPolicy policy,
                                          List<String> rejected) {
        if (signatures.isEmpty()) {
            if (rejected.isEmpty()) {
                return PgpVerificationResult.of(SignatureStatus.MALFORMED, "no OpenPGP signature found");
            }
            boolean onlyUnknownSigners = rejected.stream().allMatch(reason -> reason.startsWith(UNKNOWN_SIGNER));
            return PgpVerificationResult.of(onlyUnknownSigners ? SignatureStatus.NO_SIGNER : SignatureStatus.BAD_SIGNATURE,
                (onlyUnknownSigners ? "" : "signature refused: ") + String.join("; ", rejected));
        }
        Map<String, OpenPGPCertificate> signers = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (OpenPGPDocumentSignature signature : signatures) {
            if (signature.getIssuer() == null) {
                unknown.add(String.valueOf(signature.getKeyIdentifier()));
            } else {
                signers.put(PgpKeys.fingerprint(signature.getIssuerCertificate()), signature.getIssuerCertificate());
            }
        }
        if (signers.isEmpty()) {
            return PgpVerificationResult.of(SignatureStatus.NO_SIGNER,
                "the signer's key is unknown here (" + String.join(", ", unknown) + ")");
        }
        if (signers.size() > 1) {
            return PgpVerificationResult.of(SignatureStatus.CONFLICTING_SIGNERS,
                "signed by " + signers.size() + " different keys: " + String.join(", ", signers.keySet()));
        }
        OpenPGPCertificate signer = signers.values().iterator().next();
        String fingerprint = PgpKeys.fingerprint(signer);
        Date now = Date.from(policy.time());
        List<String> addresses = PgpKeys.addresses(signer, now);
        for (OpenPGPDocumentSignature signature : signatures) {
            if (signature.getIssuer() == null) {
                continue;
            }
            String problem = problemWith(signature);
            if (problem != null && PgpKeys.isRevoked(signer, now)) {
                // Bouncy Castle rejects every signature of a hard-revoked key; that is the more useful reason.
                return result(SignatureStatus.REVOKED, "the signer's key " + fingerprint + " is revoked", signer, addresses);
            }
            if (problem != null) {
                return result(SignatureStatus.BAD_SIGNATURE, problem, signer, addresses);
            }
            if (policy.checkIntendedRecipient() && decryptedWith.isPresent()
                && !namesIntendedRecipient(signature, decryptedWith.get())) {
                return result(SignatureStatus.BAD_SIGNATURE,
                    "the signature names other intended recipients (re-encrypted by someone else?)", signer, addresses);
            }
        }
        if (PgpKeys.isRevoked(signer, now)) {
            return result(SignatureStatus.REVOKED, "the signer's key " + fingerprint + " is revoked", signer, addresses);
        }
        if (PgpKeys.isExpired(signer, now)) {
            return result(SignatureStatus.EXPIRED, "the signer's key " + fingerprint + " expired", signer, addresses);
        }
        for (OpenPGPDocumentSignature signature : signatures) {
            OpenPGPCertificate.OpenPGPComponentKey key = signature.getIssuer();
            if (key != null && (key.getRevocation(now) != null || !key.isSigningKey(now))) {
                return result(SignatureStatus.REVOKED, "the signing subkey is revoked, expired or not for signing now",
                    signer, addresses);
            }
        }
        if (!wholeMessage) {
            return result(SignatureStatus.PARTIAL, "the signature covers only part of the message", signer, addresses);
        }
        Optional<String> mismatch = Optional.empty();
        for (MimeMessage message : seen) {
            try {
                mismatch = SignatureVerifier.senderMismatch(message, addresses);
            } catch (MessagingException e) {
                mismatch = Optional.of("unreadable From header: " + e.getMessage());
            }
            if (mismatch.isPresent()) {
                break;
            }
        }
        if (mismatch.isPresent()) {
            return result(SignatureStatus.SIGNER_MISMATCH, mismatch.get(), signer, addresses);
        }
        Optional<PgpPublicKey> known = candidates.knownByFingerprint(fingerprint);
        boolean trusted = known.map(PgpPublicKey::trusted).orElse(false);
        List<OpenPGPCertificate> harvest = known.isEmpty() ? List.of(signer) : List.of();
        return new PgpVerificationResult(SignatureStatus.VALID, trusted ? "" : "the signer's key is not one the admin imported",
            Optional.of(signer), addresses, trusted, harvest);
    }

    /** Null when the signature is correct and made by a key that was allowed to sign when it was made. */
    private static String problemWith(OpenPGPDocumentSignature signature) {
        try {
            if (!signature.isValid()) {
                return "the signature does not match the signed data";
            }
            return null;
        } catch (Exception e) {
            return "the signature does not verify: " + e.getMessage();
        }
    }

    private static boolean namesIntendedRecipient(OpenPGPDocumentSignature signature, OpenPGPCertificate recipient) {
        PGPSignatureSubpacketVector hashed = signature.getSignature().getHashedSubPackets();
        IntendedRecipientFingerprint[] named = hashed == null ? null : hashed.getIntendedRecipientFingerprints();
        if (named == null || named.length == 0) {
            return true;
        }
        return Arrays.stream(named).anyMatch(subpacket -> Arrays.equals(subpacket.getFingerprint(), recipient.getFingerprint()));
    }

    private static PgpVerificationResult result(SignatureStatus status, String detail, OpenPGPCertificate signer,
                                                List<String> addresses) {
        return new PgpVerificationResult(status, detail, Optional.of(signer), addresses, false, List.of());
    }
}
