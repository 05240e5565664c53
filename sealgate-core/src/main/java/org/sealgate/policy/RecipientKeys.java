package org.sealgate.policy;

/** Which encryption keys can reach a recipient; the engine asks, the key stores answer. */
public interface RecipientKeys {

    /** Whether a key is usable, and when it is not, why (in words for the audit trail and bounces). */
    record Check(boolean usable, String detail) {
        public static Check usable(String detail) {
            return new Check(true, detail);
        }

        public static Check unusable(String detail) {
            return new Check(false, detail);
        }
    }

    Check smime(String address);

    Check pgp(String address);
}
