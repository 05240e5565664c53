package org.sealgate.crypto;

/**
 * Outcome of signature verification; {@link #headerValue()} is what Sealgate writes into its status header.
 * Declared from the most fundamental problem to the least, the order in which problems are reported.
 */
public enum SignatureStatus {
    VALID("valid"),
    NOT_SIGNED("none"),
    MALFORMED("malformed"),
    NO_SIGNER("no-signer"),
    CONFLICTING_SIGNERS("conflicting-signers"),
    BAD_SIGNATURE("invalid"),
    PARTIAL("partial"),
    REVOKED("revoked"),
    EXPIRED("expired"),
    WRONG_KEY_USAGE("wrong-key-usage"),
    UNTRUSTED("untrusted"),
    SIGNER_MISMATCH("signer-mismatch");

    private final String headerValue;

    SignatureStatus(String headerValue) {
        this.headerValue = headerValue;
    }

    public String headerValue() {
        return headerValue;
    }
}
