package org.sealgate.crypto;

/**
 * Whether a certificate may be used to encrypt to, and if not why.
 *
 * @param usable  true when nothing speaks against the certificate
 * @param reason  empty when usable, else one of {@code expired}, {@code not-yet-valid}, {@code wrong-key-usage},
 *                {@code revoked}, {@code unsupported-key}
 * @param detail  human-readable explanation
 */
public record CertificateCheck(boolean usable, String reason, String detail) {

    public static final String EXPIRED = "expired";
    public static final String NOT_YET_VALID = "not-yet-valid";
    public static final String WRONG_KEY_USAGE = "wrong-key-usage";
    public static final String REVOKED = "revoked";
    public static final String UNSUPPORTED_KEY = "unsupported-key";

    static CertificateCheck ok() {
        return new CertificateCheck(true, "", "usable for encryption");
    }

    static CertificateCheck refused(String reason, String detail) {
        return new CertificateCheck(false, reason, detail);
    }
}
