package org.sealgate.crypto;

import java.time.Instant;
import java.util.List;

import org.sealgate.pgp.PgpPublicKey;

/**
 * What OpenPGP signatures are checked against, and the rules that cannot be relaxed by accident.
 *
 * @param knownKeys                the keys that may have signed (the directory's keys for the From address);
 *                                 IMPORTED ones make a valid signature trusted
 * @param time                     the verification time (revocation and expiry are judged then)
 * @param requireIntegrity         decrypted plaintext is released only after its MDC/AEAD check passed; Sealgate
 *                                 never turns this off, the field documents the rule
 * @param checkIntendedRecipient   a signature naming intended recipients must name the key it was decrypted with
 */
public record PgpVerificationPolicy(List<PgpPublicKey> knownKeys, Instant time, boolean requireIntegrity,
                                    boolean checkIntendedRecipient) {

    public PgpVerificationPolicy {
        knownKeys = knownKeys == null ? List.of() : List.copyOf(knownKeys);
        time = time == null ? Instant.now() : time;
        if (!requireIntegrity) {
            throw new IllegalArgumentException("plaintext without a passed integrity check is never released (EFAIL)");
        }
    }

    /** Integrity required, intended recipient checked, verification time now. */
    public static PgpVerificationPolicy strict(List<PgpPublicKey> knownKeys) {
        return new PgpVerificationPolicy(knownKeys, Instant.now(), true, true);
    }

    public PgpVerificationPolicy at(Instant verificationTime) {
        return new PgpVerificationPolicy(knownKeys, verificationTime, requireIntegrity, checkIntendedRecipient);
    }
}
