package org.sealgate.crypto;

import java.util.Objects;

import javax.mail.internet.MimeMessage;

import org.sealgate.pgp.PgpManagedKey;

/**
 * @param message    the decrypted message: outer non-content headers, protected header fields restored, inner
 *                   entity byte-for-byte (PGP/MIME) or the text part replaced by its plaintext (inline)
 * @param key        whose key opened it
 * @param mechanism  e.g. {@code SEIPDv1 AES-256 MDC} or {@code SEIPDv2 AES-256 OCB}
 * @param inline     inline PGP ({@code -----BEGIN PGP MESSAGE-----} in a text part) rather than PGP/MIME
 * @param signature  the signatures inside the encrypted message, checked; NOT_SIGNED when there were none
 */
public record PgpDecryptionResult(MimeMessage message, PgpManagedKey key, String mechanism, boolean inline,
                                  PgpVerificationResult signature) {
    public PgpDecryptionResult {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(signature, "signature");
    }
}
