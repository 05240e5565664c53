package org.sealgate.policy;

import java.util.Locale;

/** A way of protecting an outbound mail for one recipient, in the order a policy lists them. */
public enum Method {
    /** S/MIME encryption to a usable certificate of the recipient. */
    SMIME,
    /** PGP/MIME encryption to a usable OpenPGP key of the recipient. */
    PGP,
    /** The GINA web portal: the recipient reads the mail in a browser; needs no key. */
    GINA,
    /** No content encryption, but delivery only over SMTP with STARTTLS; never in clear. */
    TLS;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
