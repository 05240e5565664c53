package org.sealgate.policy;

import java.util.Locale;

/** The route the policy engine chose for one recipient of an outbound mail. */
public enum Outcome {
    SMIME, PGP, GINA, TLS, PLAIN, BOUNCE, HOLD;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome ofToken(String token) {
        for (Outcome outcome : values()) {
            if (outcome.token().equals(token.trim().toLowerCase(Locale.ROOT))) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome '" + token + "' (known: smime, pgp, gina, tls, plain, bounce, hold)");
    }
}
