package org.sealgate.policy;

import java.util.Locale;

/**
 * SMTP transport security towards a recipient: STARTTLS when offered, STARTTLS or no delivery, or STARTTLS with
 * the server's certificate checked against its host name. Written {@code opportunistic}, {@code required},
 * {@code verified}.
 */
public enum TransportSecurity {
    OPPORTUNISTIC, REQUIRED, VERIFIED;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TransportSecurity ofToken(String token) {
        return valueOf(token.trim().toUpperCase(Locale.ROOT));
    }

    /** The stricter of the two. */
    public TransportSecurity atLeast(TransportSecurity other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
