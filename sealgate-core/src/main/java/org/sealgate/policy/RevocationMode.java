package org.sealgate.policy;

/**
 * The {@code revocation} setting: what a certificate whose revocation status cannot be learned is good for.
 * A certificate known to be revoked is never used, whatever the mode.
 */
public enum RevocationMode {
    /** Unknown status: not used for encryption (the policy's fallback applies), a signature is not trusted. */
    REQUIRE,
    /** Unknown status: used, and the use is marked (audit event; signature header {@code revocation=unknown}). */
    PREFER,
    /** Nobody is asked; only CRLs an admin imported count. */
    OFF;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
