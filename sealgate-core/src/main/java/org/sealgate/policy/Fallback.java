package org.sealgate.policy;

import java.util.Locale;

/** What happens to a recipient for whom encryption is required but no method in the policy's order is usable. */
public enum Fallback {
    /** Return the mail to its sender with the reason. */
    BOUNCE,
    /** Keep it in the quarantine repository for an administrator. */
    HOLD,
    /** Send it through the GINA portal. */
    GINA,
    /** Deliver without content encryption, over enforced TLS only. */
    TLS;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
