package org.sealgate.crypto;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.sealgate.pgp.PgpKeys;
import org.sealgate.pgp.PgpManagedKey;

/**
 * All OpenPGP cryptography of Sealgate (PGP/MIME, RFC 3156; keys and packets of RFC 4880 and RFC 9580), behind
 * one facade so mailets never touch Bouncy Castle. Thread-safe and stateless. Every method returns a new message
 * and leaves its argument untouched. The rules that must not be relaxed are not parameters: SEIPDv1 always has
 * its MDC, plaintext is released only after its integrity check, the legacy unprotected packet is refused.
 */
public final class PgpCrypto {

    /**
     * Encrypts the message's content entity to every recipient certificate, signed inside with the signer's key
     * when one is given (RFC 3156 §6.2). SEIPDv2 (AES-256, OCB or GCM) when the policy allows and every recipient
     * supports it, otherwise SEIPDv1 with MDC and AES-256.
     *
     * @throws CryptoException when a recipient key is revoked, expired or has no encryption subkey, or the
     *                         message cannot be read
     */
    public MimeMessage encrypt(MimeMessage message, List<OpenPGPCertificate> recipients, Optional<PgpManagedKey> signer,
                               PgpEncryptionPolicy policy) throws CryptoException {
        Objects.requireNonNull(message, "message");
        return PgpEncryptor.encrypt(message, recipients, signer == null ? Optional.empty() : signer,
            policy == null ? PgpEncryptionPolicy.DEFAULT : policy);
    }

    /**
     * Decrypts PGP/MIME, or inline PGP in a text/plain message, with the first candidate key the message was encrypted to.
     * Signatures inside are checked against the policy's keys and the decrypted From.
     *
     * @throws NoMatchingKeyException when no candidate is a recipient
     * @throws CryptoException        when the message is not encrypted, garbled, not integrity protected, or
     *                                fails its integrity check (nothing of the plaintext is returned then)
     */
    public PgpDecryptionResult decrypt(MimeMessage message, Collection<PgpManagedKey> candidates,
                                       PgpVerificationPolicy policy) throws CryptoException {
        Objects.requireNonNull(message, "message");
        return PgpDecryptor.decrypt(message, candidates == null ? List.of() : candidates,
            policy == null ? PgpVerificationPolicy.strict(List.of()) : policy);
    }

    /**
     * Decrypts once for several managed recipients (not once per recipient): with the first candidate key the message
     * was encrypted to, then shows from the session-key packets alone that each further candidate's packet carries
     * the same session key (a public-key operation each, no second decryption). A further candidate for which that
     * cannot be shown decrypts the message itself, as before, so the outcome is that of decrypting per recipient.
     *
     * @throws NoMatchingKeyException when no candidate is a recipient
     * @throws CryptoException        as {@link #decrypt}, for any candidate that is a recipient
     */
    public PgpRecipientsDecryption decryptForRecipients(MimeMessage message, List<PgpManagedKey> candidates,
                                                        PgpVerificationPolicy policy) throws CryptoException {
        Objects.requireNonNull(message, "message");
        PgpVerificationPolicy checked = policy == null ? PgpVerificationPolicy.strict(List.of()) : policy;
        PgpDecryptionResult result = PgpDecryptor.decrypt(message, candidates, checked);
        List<PgpManagedKey> others = candidates.stream().filter(candidate -> !candidate.equals(result.key())).toList();
        List<PgpManagedKey> opened = new java.util.ArrayList<>(List.of(result.key()));
        opened.addAll(PgpDecryptor.alsoOpenedBy(message, result.key(), others, checked));
        return new PgpRecipientsDecryption(result, opened);
    }

    /** PGP/MIME signed messages; never throws for bad input: every problem becomes a {@link SignatureStatus}. */
    public PgpVerificationResult verify(MimeMessage message, PgpVerificationPolicy policy) {
        Objects.requireNonNull(message, "message");
        return PgpVerifier.verify(message, policy == null ? PgpVerificationPolicy.strict(List.of()) : policy);
    }

    /** Why the certificate cannot be encrypted to at that time, or empty when it can. */
    public String whyNotUsableForEncryption(OpenPGPCertificate certificate, Instant time) {
        return PgpKeys.whyNotUsableForEncryption(certificate, Date.from(time == null ? Instant.now() : time));
    }

    /** PGP/MIME encrypted (multipart/encrypted) or inline encrypted (armored message in a text/plain message), top level only. */
    public static boolean isEncrypted(MimeMessage message) {
        if (PgpMime.isPgpMimeEncrypted(message)) {
            return true;
        }
        try {
            return PgpMime.inlineEncryptedPart(message).isPresent();
        } catch (MessagingException | IOException e) {
            return false;
        }
    }

    /** PGP/MIME signed at the top level (multipart/signed; protocol="application/pgp-signature"). */
    public static boolean isSigned(MimeMessage message) {
        return PgpMime.isPgpMimeSigned(message);
    }
}
