package org.sealgate.policy;

/**
 * What inbound S/MIME without integrity protection (EnvelopedData with a CBC cipher, not AuthEnvelopedData) gets:
 * its ciphertext can be altered undetected (EFAIL malleability gadgets), so the plaintext proves nothing.
 */
public enum CbcHandling {
    /** Decrypted; only the {@code X-Sealgate-Decryption} header says {@code integrity=none}. */
    ALLOW,
    /** Decrypted, the header says {@code integrity=none} and the subject gets the unauthenticated tag. */
    MARK,
    /** Not decrypted: held in quarantine with the reason. */
    REFUSE
}
