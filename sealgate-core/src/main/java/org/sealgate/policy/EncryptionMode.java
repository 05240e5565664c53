package org.sealgate.policy;

/** How hard a domain insists on encryption. */
public enum EncryptionMode {
    /** Never encrypt, even when a certificate is known. */
    OFF,
    /** Encrypt when a usable certificate is known, otherwise send as is. */
    OPPORTUNISTIC,
    /** Encrypt or do not send: mail without a usable certificate is bounced or held. */
    REQUIRED
}
